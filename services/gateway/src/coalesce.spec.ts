import { describe, expect, it } from '@jest/globals';
import { coalesced } from './coalesce.js';

describe('coalesced', () => {
  it('shares one call among concurrent callers and answers from it until it is maxAgeMs old', async () => {
    let clock = 0;
    let calls = 0;
    const read = coalesced(
      async () => ++calls,
      { maxAgeMs: 1000 },
      () => clock,
    );
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    clock = 999;
    expect(await read()).toBe(1);
    clock = 1000;
    expect(await read()).toBe(2);
    expect(calls).toBe(2);
  });

  it('answers at once from a stale answer while renewing it, then from the renewed one', async () => {
    let clock = 0;
    let calls = 0;
    let release = () => {};
    const read = coalesced(
      () => new Promise<number>((resolve) => (release = () => resolve(++calls))),
      { maxAgeMs: 1000, staleMs: 5000 },
      () => clock,
    );
    const first = read();
    release();
    expect(await first).toBe(1);
    clock = 2000;
    expect(await read()).toBe(1); // stale, given at once; a renewal started
    expect(await read()).toBe(1); // still renewing: no second call
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await read()).toBe(2);
    clock = 9000; // too old to give: waits for the renewal
    const late = read();
    release();
    expect(await late).toBe(3);
  });

  it('keeps no failure: the next caller calls again', async () => {
    let calls = 0;
    const read = coalesced(
      async () => {
        calls++;
        if (calls === 1) throw new Error('down');
        return calls;
      },
      { maxAgeMs: 1000 },
    );
    await expect(read()).rejects.toThrow('down');
    expect(await read()).toBe(2);
  });
});
