/** Dead letters: their depth per subscription, and replay back to the topic they came from. */
import { describe, expect, it } from '@jest/globals';
import { deadLetterTopic } from '@stockpulse/contracts';
import { messages, sleep, waitFor } from '../helpers.js';
import { n, type ContractContext } from './context.js';

export function deadLettersContract(ctx: ContractContext): void {
  describe('dead letters', () => {
    it('counts the dead letters of each subscription and replays them, ids kept, to every subscription', async () => {
      // Given a subscription whose handler fails on message 2 (three attempts), and one that handles it
      let broken = true;
      const failing = await ctx.collect(ctx.bus, { subscription: 'contract' }, (d) => {
        if (n(d) === 2 && broken) throw new Error('cannot handle 2');
      });
      const healthy = await ctx.collect(ctx.bus, { subscription: 'healthy' });
      const sent = messages(ctx.topic, 5);
      await ctx.bus.publishMany(sent);
      const dlq = deadLetterTopic(ctx.topic, 'contract');
      const depthOf = async (topic: string) =>
        (await ctx.bus.deadLetters()).find((q) => q.topic === topic)?.depth;
      for (let i = 0; i < 150 && (await depthOf(dlq)) !== 1; i++) await sleep(100);

      // Then the dead letter is counted against its subscription, and the healthy one has none
      const queues = await ctx.bus.deadLetters();
      expect(queues.find((q) => q.topic === dlq)).toEqual({
        topic: dlq,
        originTopic: ctx.topic,
        subscription: 'contract',
        depth: 1,
      });
      expect(queues.find((q) => q.topic === deadLetterTopic(ctx.topic, 'healthy'))?.depth).toBe(0);
      expect(failing.deliveries.filter((d) => n(d) === 2).map((d) => d.attempt)).toEqual([1, 2, 3]);

      // When the cause is fixed and the dead letter replayed
      broken = false;
      const handledBefore = failing.deliveries.length;
      expect(await ctx.bus.replayDeadLetters(dlq, 10)).toBe(1);

      // Then it comes back as it was (same envelope, key), once more to each subscription of its topic
      await waitFor(
        () => failing.deliveries.length > handledBefore && healthy.deliveries.length >= 6,
        'the replayed message',
      );
      const replayed = failing.deliveries.at(-1)!;
      expect(replayed.envelope).toEqual(sent[2]!.envelope);
      expect(replayed.key).toBe(sent[2]!.key);
      expect(replayed.attempt).toBe(1);
      expect(replayed.properties.replayed_from).toBe(dlq);
      expect(replayed.properties.dead_letter_error).toBeUndefined();
      expect(healthy.deliveries.at(-1)!.envelope.id).toBe(sent[2]!.envelope.id);
      expect(await depthOf(dlq)).toBe(0);
      expect(await ctx.bus.replayDeadLetters(dlq, 10)).toBe(0);
    });

    it('replays the oldest dead letters first, no more than asked', async () => {
      await ctx.collect(ctx.bus, { subscription: 'contract', retry: { maxAttempts: 1 } }, () => {
        throw new Error('always');
      });
      await ctx.bus.publishMany(messages(ctx.topic, 4));
      const dlq = deadLetterTopic(ctx.topic, 'contract');
      const dead = await ctx.collect(ctx.bus, { subscription: 'watch' }, undefined, ctx.topic);
      await waitFor(() => dead.deliveries.length >= 4, 'four messages');
      for (let i = 0; i < 150; i++) {
        if ((await ctx.bus.deadLetters()).find((q) => q.topic === dlq)?.depth === 4) break;
        await sleep(100);
      }
      expect(await ctx.bus.replayDeadLetters(dlq, 3)).toBe(3);
      await waitFor(() => dead.deliveries.length >= 7, 'three replayed');
      await sleep(200);
      expect(dead.deliveries.slice(4).map(n)).toEqual([0, 1, 2]);
    });

    it('replays what waited when asked, once, though the replayed message fails again meanwhile', async () => {
      // (on Pulsar, a replay that kept reading its dead-letter topic sent a still-failing message round and
      // round until the limit: 10 "replayed" for 1 dead letter)
      const { deliveries } = await ctx.collect(
        ctx.bus,
        { subscription: 'contract', retry: { maxAttempts: 1 } },
        () => {
          throw new Error('still broken');
        },
      );
      await ctx.bus.publishMany(messages(ctx.topic, 1));
      const dlq = deadLetterTopic(ctx.topic, 'contract');
      const depth = async () => (await ctx.bus.deadLetters()).find((q) => q.topic === dlq)?.depth;
      for (let i = 0; i < 150 && (await depth()) !== 1; i++) await sleep(100);
      expect(await ctx.bus.replayDeadLetters(dlq, 10)).toBe(1);
      await waitFor(() => deliveries.length >= 2, 'the replayed message failing again');
      for (let i = 0; i < 150 && (await depth()) !== 1; i++) await sleep(100);
      expect(await depth()).toBe(1);
      await sleep(300);
      expect(deliveries).toHaveLength(2);
    });

    it('refuses a dead-letter topic name neither adapter accepts, and a limit below 1', async () => {
      await expect(ctx.bus.replayDeadLetters('../etc/passwd', 1)).rejects.toThrow(/invalid topic name/);
      const dlq = deadLetterTopic(ctx.topic, 'contract');
      await expect(ctx.bus.replayDeadLetters(dlq, 0)).rejects.toThrow(/limit must be a whole number/);
      await expect(ctx.bus.replayDeadLetters(ctx.topic, 1)).rejects.toThrow(/not a dead-letter topic/);
    });
  });
}
