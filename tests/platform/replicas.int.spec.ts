import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { partitionOf } from '@stockpulse/contracts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { busesUnderTest, getJson, Platform, post, until } from '../support/platform.js';

const STORES = Array.from({ length: 8 }, (_, i) => `Store ${i}`);

/** Two replicas of the processor, each owning the stores of its partition (PARTITIONS=2), as real processes. */
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
  }, 120_000);
});
