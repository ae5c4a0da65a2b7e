import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { partitionOf } from '@stockpulse/contracts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { busesUnderTest, dayTotals, getJson, Platform, post, until } from '../support/platform.js';

const STORES = Array.from({ length: 8 }, (_, i) => `Store ${i}`);
const BATCHES = 40;

/** Batch `b`: every store reports 5 products of their own (C1–C5, April) for hour `b`, selling (b + product) % 4. */
const batch = (b: number) =>
  STORES.flatMap((store) =>
    [1, 2, 3, 4, 5].map((p) => ({
      product_id: `C${p}`,
      store_location: store,
      category: 'Books',
      quantity: 100,
      units_sold: (b + p) % 4,
      price: 5,
      event_timestamp: new Date(Date.parse('2025-04-01T00:00:00Z') + b * 3_600_000).toISOString(),
    })),
  );
const unitsOf = (events: ReturnType<typeof batch>) => events.reduce((s, e) => s + e.units_sold, 0);

/**
 * Two replicas of the processor, each owning the stores of its partition (PARTITIONS=2), as real processes:
 * the stores split, misconfiguration refused, and SIGKILL of one replica while events flow.
 */
describe.each(busesUnderTest())('replicas by store partition (%s bus)', (bus) => {
  let p: Platform;
  beforeAll(async () => {
    p = await Platform.start(
      ['ingest', 'processor@0', 'processor@1'],
      { PARTITIONS: '2', PROCESSOR_FLUSH_MS: '20' },
      bus,
    );
  }, 120_000);
  afterAll(() => p?.stop());

  it('keeps each store in one replica, every store in one of them, each replica in its own store file', async () => {
    const events = STORES.flatMap((store) =>
      ['P1', 'P2', 'P3'].map((product) => ({
        product_id: product,
        store_location: store,
        category: 'Books',
        quantity: 10,
        price: 5,
        event_timestamp: '2025-03-01T20:00:00Z',
      })),
    );
    expect((await post(`${p.url('ingest')}/api/events`, events)).status).toBe(202);
    const inventory = (i: number) =>
      getJson<{ items: { store_location: string }[]; total: number }>(
        `${p.url(`processor@${i}`)}/api/inventory?limit=100`,
      );
    await until(
      async () => (await inventory(0)).total + (await inventory(1)).total,
      (total) => total === events.length,
      'every event in one replica or the other',
      60_000,
    );
    for (const i of [0, 1]) {
      const { items } = await inventory(i);
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) expect(partitionOf(item.store_location, 2)).toBe(i);
      expect(existsSync(join(p.dataDir, `inventory_metrics.partition-${i}.db`))).toBe(true);
    }
    expect(existsSync(join(p.dataDir, 'inventory_metrics.db'))).toBe(false);
  }, 90_000);

  it('refuses a replica index out of range, a second replica of a partition, and another PARTITIONS', async () => {
    const outOfRange = await p.refusal('processor', { REPLICA: '2', PROCESSOR_PORT: '0' });
    expect(outOfRange.code).toBe(1);
    expect(outOfRange.output).toContain('REPLICA=2 is out of range: with PARTITIONS=2 the replicas are 0–1');
    const second = await p.refusal('processor', { REPLICA: '1', PROCESSOR_PORT: '0' });
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(
      /partition 1 of stockpulse\.inventory-events \(subscription 'processor'\) is consumed by one replica at a time/,
    );
    const other = await p.refusal('processor', { PARTITIONS: '3', REPLICA: '0', PROCESSOR_PORT: '0' });
    expect(other.code).not.toBe(0);
    expect(other.output).toContain('has 2 partitions and this process was started with PARTITIONS=3');
  }, 240_000);

  it('pauses only its own stores and, restarted on its own store, loses and doubles nothing', async () => {
    const before = await Promise.all([0, 1].map((i) => dayTotals(p.url(`processor@${i}`))));
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
    const since = async (i: number) => {
      const t = await dayTotals(p.url(`processor@${i}`));
      return { events: t.events - before[i]!.events, units: t.units - before[i]!.units };
    };
    const survivor = await until(
      () => since(0),
      (t) => t.events === mine(0).length,
      'replica 0 to apply all of its stores',
      60_000,
    );
    expect(survivor.units).toBe(unitsOf(mine(0)));
    await p.startService('processor@1');
    const restarted = await until(
      () => since(1),
      (t) => t.events >= mine(1).length,
      'replica 1 to catch up',
      60_000,
    );
    expect(restarted).toEqual({ events: mine(1).length, units: unitsOf(mine(1)) });
    // every event once, over both replicas
    const both = [await since(0), restarted];
    expect(both.reduce((s, t) => s + t.units, 0)).toBe(unitsOf(events));
  }, 180_000);
});
