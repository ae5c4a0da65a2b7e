import { describe, expect, it } from '@jest/globals';
import { stripVTControlCharacters } from 'node:util';
import { createLineFormatter, logFormat, type LineFormatOptions } from './log-lines.js';

const SERVICES = ['processor', 'forecaster', 'anomaly', 'notifier', 'ingest', 'gateway', 'dashboard'];
/** 23:05:01.123 local time: pino-pretty shows records in the machine's time zone. */
const TIME = new Date(2026, 11, 6, 23, 5, 1, 123).getTime();

/** A record as a service's pino writes it: one JSON line. */
const aRecord = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    level: 30,
    time: TIME,
    pid: 4242,
    hostname: 'box',
    service: 'processor',
    msg: 'hi',
    ...fields,
  });

const formatter = (options: Partial<LineFormatOptions> = {}) =>
  createLineFormatter({ format: 'pretty', colour: false, services: SERVICES, width: 11, ...options });

describe('pnpm start, pretty', () => {
  it('shows a record as one line: time, process, level, message, its other fields', () => {
    const line = formatter()(
      'processor#1',
      aRecord({ msg: 'bus: embedded', topic: 'stockpulse.inventory-events' }),
    );
    expect(line).toBe(
      '23:05:01.123 processor#1 INFO: bus: embedded {"topic":"stockpulse.inventory-events"}\n',
    );
  });

  it('gives each service its own colour, the same for every replica, and colours the level', () => {
    const format = formatter({ colour: true });
    const [processor, replica, ingest] = [
      format('processor', aRecord()),
      format('processor#1', aRecord()),
      format('ingest', aRecord({ level: 50, service: 'ingest' })),
    ];
    const colourOf = (line: string, name: string) =>
      new RegExp(`(\\u001b\\[[\\d;]+m)${name}`).exec(line)?.[1];
    expect(colourOf(processor, 'processor')).toBeDefined();
    expect(colourOf(replica, 'processor#1')).toBe(colourOf(processor, 'processor'));
    expect(colourOf(ingest, 'ingest')).not.toBe(colourOf(processor, 'processor'));
    expect(ingest).toContain('\u001b[31mERROR'); // pino-pretty's red
    expect(stripVTControlCharacters(ingest)).toContain('ingest      ERROR: hi');
  });

  it("shows an error's message and stack under its line", () => {
    const err = {
      type: 'Error',
      message: 'disk full',
      stack: 'Error: disk full\n    at write (store.ts:1:1)',
    };
    const line = formatter()('anomaly', aRecord({ level: 50, msg: 'store checkpoint failed', err }));
    const [first, ...rest] = line.trimEnd().split('\n');
    expect(first).toBe('23:05:01.123 anomaly     ERROR: store checkpoint failed');
    expect(rest.join('\n')).toMatch(/err: Error: disk full\n\s+at write \(store\.ts:1:1\)/);
  });

  it("shows a warning's error by its message alone", () => {
    const err = { type: 'Error', message: 'socket hang up', stack: 'Error: socket hang up\n    at x' };
    const line = formatter()('gateway', aRecord({ level: 40, msg: 'forwarding failed', err }));
    expect(line).toContain('WARN: forwarding failed');
    expect(line).toContain('err: socket hang up');
    expect(line).not.toContain('at x');
  });

  it('keeps a progress record to its message, without the numbers again', () => {
    const progress = { done: 14_400, total: 36_000, unit: 'events' };
    const line = formatter()(
      'ingest',
      aRecord({ msg: 'seeding history: 40 % (14,400 / 36,000 events)', progress }),
    );
    expect(line).toBe('23:05:01.123 ingest      INFO: seeding history: 40 % (14,400 / 36,000 events)\n');
  });

  it('passes a line that is not a record through after the process name', () => {
    const format = formatter();
    expect(format('forecaster', '    at Object.<anonymous> (main.ts:3:9)')).toBe(
      '             forecaster  ' + '    at Object.<anonymous> (main.ts:3:9)\n',
    );
    expect(format('forecaster', '{"not":"a record"}')).toBe('             forecaster  {"not":"a record"}\n');
  });
});

describe('pnpm start, JSON', () => {
  it('writes a record exactly as the service wrote it', () => {
    const record = aRecord({ msg: 'bus: embedded' });
    expect(formatter({ format: 'json' })('processor#1', record)).toBe(`${record}\n`);
  });

  it('prefixes a line that is not JSON with the process name', () => {
    expect(formatter({ format: 'json' })('notifier', 'Warning: something')).toBe(
      'notifier    │ Warning: something\n',
    );
  });
});

describe('LOG_FORMAT', () => {
  it('is pretty on a terminal and JSON elsewhere unless it says otherwise', () => {
    expect(logFormat(undefined, true)).toBe('pretty');
    expect(logFormat(undefined, false)).toBe('json');
    expect(logFormat('json', true)).toBe('json');
    expect(logFormat('pretty', false)).toBe('pretty');
  });

  it('names a bad value', () => {
    expect(() => logFormat('fancy', true)).toThrow('LOG_FORMAT must be pretty or json (got fancy)');
  });
});
