import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createPrettifier, REDACTED_PATHS } from './logger.js';

describe('logger redaction', () => {
  it('never writes an API key, a bearer token or a password', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => void (lines.push(chunk.toString()), done()),
    });
    const log = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    log.info({ req: { headers: { 'x-api-key': 'k-123', authorization: 'Bearer t-456' } } }, 'request');
    log.info({ config: { API_KEY: 'k-789', HOST: '0.0.0.0' }, user: { password: 'hunter2' } }, 'boot');
    const text = lines.join('');
    for (const secret of ['k-123', 't-456', 'k-789', 'hunter2']) expect(text).not.toContain(secret);
    expect(text).toContain('"HOST":"0.0.0.0"');
    expect(text.match(/\[redacted\]/g)).toHaveLength(4);
  });
});

describe('createPrettifier', () => {
  it("reads another process's JSON record as a person would: its time, level and message", () => {
    const time = new Date(2026, 11, 6, 23, 5, 1, 123).getTime(); // local: pino-pretty shows the machine's time
    const record = { level: 40, time, pid: 7, hostname: 'box', service: 'ingest', msg: 'slow disk' };
    const text = createPrettifier({ colorize: false })(JSON.stringify(record));
    expect(text).toBe('[23:05:01.123] WARN: slow disk\n    service: "ingest"\n');
  });

  it('leaves a line that is not JSON as it was', () => {
    expect(createPrettifier({ colorize: false })('Error: boom')).toBe('Error: boom\n');
  });
});
