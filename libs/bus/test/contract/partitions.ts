/** Partitions by store: routing, one replica per partition, readers of the whole topic, refused misconfiguration. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { message, partitionOf, type InventoryEventPayload } from '@stockpulse/contracts';
import type { Delivery, MessageBus, Subscription } from '../../src/index.js';
import { waitFor } from '../helpers.js';
import type { ContractContext } from './context.js';

const TOPIC = 'stockpulse.inventory-events';
const STORES = Array.from({ length: 12 }, (_, i) => `Store ${i}`);

const event = (i: number): InventoryEventPayload => ({
  event_id: `ev-${i}`,
  product_id: `P${i % 5}`,
  store_location: STORES[i % STORES.length]!,
  category: 'Books',
  quantity: i,
  price: 10,
  event_timestamp: new Date(Date.UTC(2025, 2, 1) + i * 60_000).toISOString(),
  received_at: new Date(Date.UTC(2025, 2, 1) + i * 60_000).toISOString(),
  source: 'api',
});
const events = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    message(TOPIC, event(i), { producer: 'test', correlationId: 'partitions' }),
  );

export function partitionsContract(ctx: ContractContext): void {
  describe('partitions', () => {
    const opened: { close(): Promise<unknown> }[] = [];
    afterEach(async () => {
      for (const o of opened.splice(0).reverse()) await o.close();
    });
    const partitioned = async (n: number) => {
      const bus = await ctx.harness.partitioned(n);
      opened.push(bus);
      return async (partitions: number) => {
        const client = await bus.open(partitions);
        opened.push(client);
        return client;
      };
    };
    const collect = async (bus: MessageBus, subscription: string, partition?: number) => {
      const got: Delivery[] = [];
      const sub: Subscription = await bus.subscribe(
        TOPIC,
        { subscription, type: 'key_shared', ...(partition === undefined ? {} : { partition }) },
        (d) => void got.push(d),
      );
      opened.push(sub);
      return got;
    };
    const storeOf = (d: Delivery) => (d.envelope.payload as InventoryEventPayload).store_location;
    const n = (d: Delivery) => Number((d.envelope.payload as InventoryEventPayload).event_id.slice(3));

    it('puts each store in its partition; each replica consumes its own alone, a reader gets every one', async () => {
      const open = await partitioned(3);
      const [producer, r0, r1, r2, reader] = await Promise.all([0, 1, 2, 3, 4].map(() => open(3)));
      const replicas = await Promise.all([r0!, r1!, r2!].map((bus, i) => collect(bus, 'replica', i)));
      const all = await collect(reader!, 'reader');
      await producer!.publishMany(events(240));
      await waitFor(
        () => replicas.flat().length >= 240 && all.length >= 240,
        'every event to a replica and the reader',
      );
      replicas.forEach((got, i) => {
        expect(got.length).toBeGreaterThan(0);
        for (const d of got) expect(partitionOf(storeOf(d), 3)).toBe(i);
        // per store, in publish order
        for (const store of STORES) {
          const ns = got.filter((d) => storeOf(d) === store).map(n);
          expect(ns).toEqual([...ns].sort((a, b) => a - b));
        }
      });
      expect(
        replicas
          .flat()
          .map(n)
          .sort((a, b) => a - b),
      ).toEqual([...Array(240).keys()]);
      expect(new Set(all.map(n)).size).toBe(240);
    });

    it('refuses another PARTITIONS, a replica index out of range, and a second replica on one partition', async () => {
      const open = await partitioned(3);
      const first = await open(3);
      await first.publishMany(events(3));
      const other = await open(2);
      await expect(other.publishMany(events(3))).rejects.toThrow(
        `${TOPIC} has 3 partitions and this process was started with PARTITIONS=2`,
      );
      await expect(collect(other, 'replica', 0)).rejects.toThrow(/has 3 partitions/);
      await expect(collect(first, 'replica', 3)).rejects.toThrow(
        'partition 3 is out of range: with PARTITIONS=3 a replica index is 0–2',
      );
      await collect(first, 'replica', 1);
      const second = await open(3);
      await expect(collect(second, 'replica', 1)).rejects.toThrow(
        `partition 1 of ${TOPIC} (subscription 'replica') is consumed by one replica at a time`,
      );
      // nothing of the refused publish was written: a reader sees the three events of the first
      const all = await collect(first, 'reader');
      await waitFor(() => all.length >= 3, 'the first three');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(all.map(n).sort()).toEqual([0, 1, 2]);
    });
  });
}
