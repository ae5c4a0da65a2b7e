/** Delivery order, positions, fan-out, closing, and batches. */
import { describe, expect, it } from '@jest/globals';
import { messages, sleep, waitFor } from '../helpers.js';
import { FAST_RETRY, n, type ContractContext } from './context.js';

export function deliveryContract(ctx: ContractContext): void {
  describe('delivery', () => {
    it('delivers every message once, in publish order, with its envelope and key', async () => {
      const sent = messages(ctx.topic, 50);
      await ctx.bus.publishMany(sent);
      const { deliveries } = await ctx.collect(ctx.bus, { subscription: 'orders', type: 'exclusive' });
      await waitFor(() => deliveries.length >= 50, '50 deliveries');
      await sleep(100);
      expect(deliveries.map(n)).toEqual(sent.map((_, i) => i));
      expect(deliveries.map((d) => d.envelope)).toEqual(sent.map((m) => m.envelope));
      expect(deliveries.map((d) => d.key)).toEqual(sent.map((m) => m.key));
      expect(new Set(deliveries.map((d) => d.attempt))).toEqual(new Set([1]));
    });

    it('starts a new subscription after the latest message when asked, and at the first one by default', async () => {
      await ctx.bus.publishMany(messages(ctx.topic, 3));
      const latest = await ctx.collect(ctx.bus, { subscription: 'late', initialPosition: 'latest' });
      const earliest = await ctx.collect(ctx.bus, { subscription: 'early' });
      await ctx.bus.publishMany(messages(ctx.topic, 2, 3));
      await waitFor(
        () => latest.deliveries.length >= 2 && earliest.deliveries.length >= 5,
        'both subscriptions',
      );
      expect(latest.deliveries.map(n)).toEqual([3, 4]);
      expect(earliest.deliveries.map(n)).toEqual([0, 1, 2, 3, 4]);
    });

    it('gives every subscription of a topic every message', async () => {
      const a = await ctx.collect(ctx.bus, { subscription: 'a' });
      const b = await ctx.collect(ctx.bus, { subscription: 'b', type: 'shared' });
      await ctx.bus.publishMany(messages(ctx.topic, 20));
      await waitFor(() => a.deliveries.length >= 20 && b.deliveries.length >= 20, 'fan-out');
      await sleep(100);
      const all = [...Array(20).keys()];
      expect(a.deliveries.map(n)).toEqual(all);
      expect(b.deliveries.map(n).sort((x, y) => x - y)).toEqual(all);
    });

    it('keeps the position of a durable subscription when its consumer leaves and another comes', async () => {
      await ctx.bus.publishMany(messages(ctx.topic, 10));
      const first = await ctx.collect(ctx.bus, { subscription: 'durable' });
      await waitFor(() => first.deliveries.length >= 10, 'the first 10');
      await first.sub.close();
      await ctx.bus.publishMany(messages(ctx.topic, 5, 10));
      const other = await ctx.harness.open();
      try {
        const second = await ctx.collect(other, { subscription: 'durable' });
        await waitFor(() => second.deliveries.length >= 5, 'the next 5');
        await sleep(200);
        expect(second.deliveries.map(n)).toEqual([10, 11, 12, 13, 14]);
      } finally {
        await Promise.all(ctx.subscriptions.splice(0).map((s) => s.close()));
        await other.close();
      }
    });

    it('finishes the message in hand when closed, and acknowledges it', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const { deliveries, sub } = await ctx.collect(ctx.bus, { subscription: 'slow' }, () => gate);
      await ctx.bus.publishMany(messages(ctx.topic, 3));
      await waitFor(() => deliveries.length === 1, 'the first delivery');
      const closed = sub.close();
      release();
      await closed;
      const again = await ctx.collect(ctx.bus, { subscription: 'slow' });
      await waitFor(() => again.deliveries.length >= 2, 'the rest');
      await sleep(200);
      expect(again.deliveries.map(n)).toEqual([1, 2]);
    });
  });

  describe('batches', () => {
    it('hands messages over a batch at a time, in order, and acknowledges them together', async () => {
      const batches: number[][] = [];
      const sub = await ctx.bus.subscribeBatch(ctx.topic, { subscription: 'batched' }, (ds) => {
        batches.push(ds.map((d) => (d.envelope.payload as { n: number }).n));
      });
      ctx.subscriptions.push(sub);
      await ctx.bus.publishMany(messages(ctx.topic, 50));
      await waitFor(() => batches.flat().length >= 50, '50 in batches');
      await sub.close();
      expect(batches.flat()).toEqual([...Array(50).keys()]);
      const again = await ctx.collect(ctx.bus, { subscription: 'batched' });
      await sleep(200);
      expect(again.deliveries).toEqual([]);
    });

    it("never hands over more than the subscription's batchSize at once, and refuses a bad one", async () => {
      await ctx.bus.publishMany(messages(ctx.topic, 20));
      const sizes: number[] = [];
      const sub = await ctx.bus.subscribeBatch(ctx.topic, { subscription: 'small', batchSize: 3 }, (ds) => {
        sizes.push(ds.length);
      });
      ctx.subscriptions.push(sub);
      await waitFor(() => sizes.reduce((a, b) => a + b, 0) >= 20, '20 in batches');
      expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
      if (ctx.harness.name === 'embedded') expect(sizes).toEqual([3, 3, 3, 3, 3, 3, 2]);
      await expect(
        ctx.bus.subscribeBatch(ctx.topic, { subscription: 'bad', batchSize: 0 }, () => {}),
      ).rejects.toThrow(/batchSize/);
    });

    it('hands each message of a failed batch over again alone, so only the one at fault is retried', async () => {
      const succeeded: number[] = [];
      const sub = await ctx.bus.subscribeBatch(
        ctx.topic as never,
        { subscription: 'batched', retry: FAST_RETRY },
        (ds) => {
          const ns = ds.map((d) => (d.envelope.payload as { n: number }).n);
          if (ds.some((d) => (d.envelope.payload as { n: number }).n === 3 && d.attempt === 1))
            throw new Error('3 fails once');
          succeeded.push(...ns);
        },
      );
      ctx.subscriptions.push(sub);
      await ctx.bus.publishMany(messages(ctx.topic, 10));
      await waitFor(() => succeeded.length >= 10, 'all 10 handled');
      await sleep(200);
      expect([...succeeded].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    });
  });
}
