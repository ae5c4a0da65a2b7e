import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { partitionOf } from '@stockpulse/contracts';
import { busesUnderTest, dayTotals, Platform, post, until } from '../support/platform.js';

const STORES = Array.from({ length: 8 }, (_, i) => `Store ${i}`);
const BATCHES = 40;

/** Batch `b`: every store reports every one of 5 products for hour `b`, selling (b + product) % 4 units. */
const batch = (b: number) =>
  STORES.flatMap((store) =>
    [1, 2, 3, 4, 5].map((p) => ({
      product_id: `P${p}`,
      store_location: store,
      category: 'Books',
      quantity: 100,
      units_sold: (b + p) % 4,
      price: 5,
      event_timestamp: new Date(Date.parse('2025-03-01T00:00:00Z') + b * 3_600_000).toISOString(),
    })),
  );
const unitsOf = (events: ReturnType<typeof batch>) => events.reduce((s, e) => s + e.units_sold, 0);

/** SIGKILL of one replica while events flow: its stores pause, the others' go on, and nothing is lost or doubled. */
describe.each(busesUnderTest())('a replica killed mid-stream (%s bus)', (bus) => {
  let p: Platform;
  beforeAll(async () => {
    p = await Platform.start(
      ['ingest', 'processor@0', 'processor@1'],
      { PARTITIONS: '2', PROCESSOR_FLUSH_MS: '20' },
      bus,
    );
  }, 120_000);
  afterAll(() => p?.stop());

  it('pauses only its own stores and, restarted on its own store, loses and doubles nothing', async () => {
    const sent = Array.from({ length: BATCHES }, (_, b) => batch(b));
    const events = sent.flat();
    const mine = (i: number) => events.filter((e) => partitionOf(e.store_location, 2) === i);
    expect(mine(0).length).toBeGreaterThan(0);
    expect(mine(1).length).toBeGreaterThan(0);
    for (const b of sent.slice(0, 15))
      expect((await post(`${p.url('ingest')}/api/events`, b)).status).toBe(202);
    await p.kill('processor@1');
    for (const b of sent.slice(15)) expect((await post(`${p.url('ingest')}/api/events`, b)).status).toBe(202);
    // the survivor takes every event of its stores while the other replica is down
    const survivor = await until(
      () => dayTotals(p.url('processor@0')),
      (t) => t.events === mine(0).length,
      'replica 0 to apply all of its stores',
      60_000,
    );
    expect(survivor.units).toBe(unitsOf(mine(0)));
    await p.startService('processor@1');
    const restarted = await until(
      () => dayTotals(p.url('processor@1')),
      (t) => t.events >= mine(1).length,
      'replica 1 to catch up',
      60_000,
    );
    expect(restarted).toEqual({ events: mine(1).length, units: unitsOf(mine(1)) });
    // and through the gateway-free sum: every event once
    const both = [await dayTotals(p.url('processor@0')), restarted];
    expect(both.reduce((s, t) => s + t.units, 0)).toBe(unitsOf(events));
  }, 180_000);
});
