import { describe, expect, it } from '@jest/globals';
import { checkReplica, ConfigError, loadConfig, Port, serviceEnv } from './config.js';
import { replicaOf } from './run-service.js';

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
      PARTITIONS: 1,
      REPLICA: 0,
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

describe('replicas', () => {
  it('refuses a replica index the partitions do not have, naming both', () => {
    expect(() => checkReplica({ PARTITIONS: 3, REPLICA: 3 })).toThrow(
      new ConfigError('REPLICA=3 is out of range: with PARTITIONS=3 the replicas are 0–2'),
    );
    expect(() => checkReplica({ PARTITIONS: 3, REPLICA: 2 })).not.toThrow();
  });

  it("gives a partitioned service's replica its own store file, port and partition", () => {
    const config = loadConfig(Schema, { PARTITIONS: '3', REPLICA: '2' });
    const replica = replicaOf(config, true);
    expect(replica.partition).toBe(2);
    expect(replica.storeFile('inventory_metrics.db')).toBe('inventory_metrics.partition-2.db');
    expect(replica.portOffset).toBe(20);
    // with one partition, or for a service that is not partitioned, nothing changes
    const single = replicaOf(loadConfig(Schema, {}), true);
    expect([single.partition, single.storeFile('a.db'), single.portOffset]).toEqual([undefined, 'a.db', 0]);
    expect(replicaOf(config, false).partition).toBeUndefined();
  });
});
