/** Contracts on publish and consume, retries with backoff, dead letters, poison messages. */
import { describe, expect, it } from '@jest/globals';
import { ContractViolation, deadLetterTopic } from '@stockpulse/contracts';
import { messages, sleep, testMessage, uniqueName, waitFor } from '../helpers.js';
import { n, type ContractContext } from './context.js';

export function validationContract(ctx: ContractContext): void {
  describe('contracts', () => {
    const events = 'stockpulse.inventory-events';
    const event = {
      event_id: 'e-1',
      product_id: 'P001',
      store_location: 'NYC',
      category: 'Books',
      quantity: 4,
      price: 9.5,
      event_timestamp: '2025-05-28T15:04:05.000Z',
      received_at: '2025-05-28T15:04:06.000Z',
      source: 'api' as const,
    };

    it('refuses an invalid payload on publish, naming the field, and publishes nothing', async () => {
      const sub = `contract-${uniqueName('s')}`;
      const { deliveries } = await ctx.collect(
        ctx.bus,
        { subscription: sub, initialPosition: 'latest' },
        () => {},
        events,
      );
      await expect(
        ctx.bus.publish(events, { ...event, quantity: 'many' } as never, { producer: 'test' }),
      ).rejects.toThrow(ContractViolation);
      await expect(
        ctx.bus.publish(events, { ...event, quantity: 'many' } as never, { producer: 'test' }),
      ).rejects.toThrow('/payload/quantity');
      const sent = await ctx.bus.publish(events, event, { producer: 'test' });
      await waitFor(() => deliveries.length >= 1, 'the valid event');
      await sleep(200);
      expect(deliveries.map((d) => d.envelope.id)).toEqual([sent.id]);
    });

    it('dead-letters an invalid consumed message at once, with the validation error, and goes on', async () => {
      const sub = `contract-${uniqueName('s')}`;
      const { deliveries } = await ctx.collect(
        ctx.bus,
        { subscription: sub, initialPosition: 'latest' },
        () => {},
        events,
      );
      const dead = await ctx.collect(
        ctx.bus,
        { subscription: 'inspect' },
        () => {},
        deadLetterTopic(events, sub),
      );
      const bad = testMessage(events, 0).envelope;
      await ctx.harness.publishRaw(events, JSON.stringify({ ...bad, type: 'inventory-event' }), 'NYC/P001');
      const good = await ctx.bus.publish(events, event, { producer: 'test' });
      await waitFor(
        () => deliveries.length >= 1 && dead.deliveries.length >= 1,
        'the good event and the dead letter',
      );
      expect(deliveries.map((d) => d.envelope.id)).toEqual([good.id]);
      expect(dead.deliveries[0]!.envelope.id).toBe(bad.id);
      expect(dead.deliveries[0]!.properties).toMatchObject({
        dead_letter_attempts: '1',
        dead_letter_origin_topic: events,
        dead_letter_subscription: sub,
      });
      expect(dead.deliveries[0]!.properties.dead_letter_error).toMatch(
        /^invalid message: .*\/payload .*event_id/,
      );
    });
  });

  describe('failures', () => {
    it('redelivers a message whose handler throws, with exponential backoff, until it succeeds', async () => {
      const times: number[] = [];
      const { deliveries } = await ctx.collect(ctx.bus, { subscription: 'flaky', type: 'shared' }, (d) => {
        times.push(Date.now());
        if (d.attempt < 3) throw new Error(`attempt ${d.attempt} failed`);
      });
      await ctx.bus.publishMany([testMessage(ctx.topic, 1)]);
      await waitFor(() => deliveries.length >= 3, 'three attempts');
      await sleep(300);
      expect(deliveries.map((d) => d.attempt)).toEqual([1, 2, 3]);
      const [t0, t1, t2] = times as [number, number, number];
      // base 100 ms ±10 %, then 200 ms ±10 %: never sooner
      expect(t1 - t0).toBeGreaterThanOrEqual(85);
      expect(t2 - t1).toBeGreaterThanOrEqual(175);
    });

    it('moves a message to <topic>.<subscription>.dlq with its last error after maxAttempts', async () => {
      const { deliveries } = await ctx.collect(ctx.bus, { subscription: 'doomed', type: 'shared' }, (d) => {
        throw new Error(`boom ${d.attempt}`);
      });
      const dead = await ctx.collect(
        ctx.bus,
        { subscription: 'inspect' },
        () => {},
        deadLetterTopic(ctx.topic, 'doomed'),
      );
      const sent = testMessage(ctx.topic, 1);
      await ctx.bus.publishMany([sent]);
      await waitFor(() => dead.deliveries.length >= 1, 'the dead letter');
      await sleep(300);
      expect(deliveries.map((d) => d.attempt)).toEqual([1, 2, 3]);
      expect(dead.deliveries).toHaveLength(1);
      expect(dead.deliveries[0]!.envelope).toEqual(sent.envelope);
      expect(dead.deliveries[0]!.properties).toMatchObject({
        dead_letter_error: 'Error: boom 3',
        dead_letter_attempts: '3',
        dead_letter_origin_topic: ctx.topic,
        dead_letter_subscription: 'doomed',
      });
    });

    it('keeps the pipeline flowing past a poison message', async () => {
      const { deliveries } = await ctx.collect(ctx.bus, { subscription: 'main', type: 'key_shared' }, (d) => {
        if (n(d) === 7) throw new Error('poison');
      });
      const dead = await ctx.collect(
        ctx.bus,
        { subscription: 'inspect' },
        () => {},
        deadLetterTopic(ctx.topic, 'main'),
      );
      await ctx.bus.publishMany(messages(ctx.topic, 20));
      await waitFor(() => dead.deliveries.length >= 1, 'the poison in the dead-letter topic');
      const succeeded = deliveries.filter((d) => n(d) !== 7).map(n);
      expect(new Set(succeeded)).toEqual(new Set([...Array(20).keys()].filter((i) => i !== 7)));
      expect(succeeded).toHaveLength(19);
      expect(dead.deliveries.map(n)).toEqual([7]);
    });
  });
}
