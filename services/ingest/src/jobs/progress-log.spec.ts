import { describe, expect, it } from '@jest/globals';
import { progressLog } from './progress-log.js';

type Progress = { done: number; total: number; unit: string };

/** A log keeping its records in `records`, and a clock the test moves. */
function given() {
  const records: { msg: string; progress: Progress }[] = [];
  const log = {
    info: (fields: object, msg: string) => records.push({ ...(fields as { progress: Progress }), msg }),
  };
  const clock = { ms: 0 };
  const report = progressLog(log, 'seeding history', 'events', { now: () => clock.ms });
  return { records, clock, report };
}

describe('progressLog', () => {
  it('says how far a job is, in words and numbers, at most once a second', () => {
    const { records, clock, report } = given();
    for (let day = 1; day <= 180; day++) {
      clock.ms += 50; // a day of history every 50 ms: 9 s in all
      report(day * 200, 36_000);
    }
    const messages = records.map((r) => r.msg);
    expect(messages.length).toBeGreaterThanOrEqual(9);
    expect(messages.length).toBeLessThanOrEqual(10);
    expect(messages[0]).toBe('seeding history: 11 % (4,000 / 36,000 events)');
    expect(records[0]!.progress).toEqual({ done: 4000, total: 36_000, unit: 'events' });
  });

  it('always says when the job has finished, with the time it took', () => {
    const { records, clock, report } = given();
    clock.ms = 400;
    report(100, 200);
    report(200, 200);
    expect(records.map((r) => r.msg)).toEqual(['seeding history: 100 % (200 / 200 events) in 0.4 s']);
  });
});
