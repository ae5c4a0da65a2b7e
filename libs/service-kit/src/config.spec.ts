import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, Port, serviceEnv } from './config.js';

const Schema = serviceEnv({ INGEST_PORT: Port(3001) });

describe('loadConfig', () => {
  it('applies the defaults of INTERFACE.md to an empty environment', () => {
    expect(loadConfig(Schema, {})).toEqual({
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      BUS: 'embedded',
      PULSAR_URL: 'pulsar://localhost:6650',
      PULSAR_CLIENT: 'auto',
      PULSAR_NAMESPACE: 'public/default',
      LOG_LEVEL: 'info',
      BUS_RETENTION_MS: 3_600_000,
      SQLITE_CACHE_MB: 64,
      BUS_MAX_ATTEMPTS: 5,
      BUS_RETRY_BASE_MS: 500,
      BUS_RETRY_MAX_MS: 60_000,
      INGEST_PORT: 3001,
    });
  });

  it('converts variables to their declared types and ignores unrelated ones', () => {
    const config = loadConfig(Schema, {
      INGEST_PORT: '4001',
      BUS: 'pulsar',
      PATH: '/usr/bin',
      API_KEY: 's3cret',
    });
    expect(config).toMatchObject({ INGEST_PORT: 4001, BUS: 'pulsar', API_KEY: 's3cret' });
    expect(config).not.toHaveProperty('PATH');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(Schema, { INGEST_PORT: '' }).INGEST_PORT).toBe(3001);
  });

  it('fails fast, naming every bad variable, the rule and the value given', () => {
    const load = () => loadConfig(Schema, { INGEST_PORT: 'abc', BUS: 'kafka', PULSAR_URL: 'http://x' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      "invalid configuration: BUS must be one of embedded, pulsar (got 'kafka'); " +
        `PULSAR_URL must match pattern "^pulsar(\\+ssl)?://.+" (got 'http://x'); INGEST_PORT must be integer (got 'abc')`,
    );
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig(Schema, { INGEST_PORT: '70000' })).toThrow(/INGEST_PORT must be <= 65535/);
  });
});
