/** Retention: what is pruned and what is kept. */
import { describe, expect, it } from '@jest/globals';
import { deadLetterTopic } from '@stockpulse/contracts';
import { messages, sleep, waitFor } from '../helpers.js';
import { n, type ContractContext } from './context.js';

export function retentionContract(ctx: ContractContext): void {
  describe('retention', () => {
    it('prunes acknowledged messages after the retention time and keeps what someone still needs', async () => {
      if (!ctx.harness.retention) return;
      const retention = ctx.harness.retention;
      const short = await retention.open(50);
      try {
        // Given a subscription that acknowledges everything
        const fast = await ctx.collect(short, { subscription: 'fast' });
        await short.publishMany(messages(ctx.topic, 30));
        await waitFor(() => fast.deliveries.length >= 30, '30 acknowledged');
        await sleep(300); // past the retention time
        await retention.prune();
        expect(retention.stored(ctx.topic)).toBe(0);

        // When a second subscription, with no consumer now, has acknowledged nothing since it was made
        const idle = await short.subscribe(
          ctx.topic,
          { subscription: 'idle', initialPosition: 'latest' },
          () => {},
        );
        await idle.close();
        await short.publishMany(messages(ctx.topic, 5, 30));
        await waitFor(() => fast.deliveries.length >= 35, '5 more acknowledged by fast');
        await sleep(300);
        await retention.prune();
        // Then what 'idle' has not acknowledged stays, though 'fast' is done with it
        expect(retention.stored(ctx.topic)).toBe(5);
      } finally {
        await Promise.all(ctx.subscriptions.splice(0).map((s) => s.close()));
        await short.close();
      }
    });

    it('keeps a message waiting for a retry, and dead letters, even once someone has read them', async () => {
      if (!ctx.harness.retention) return;
      const retention = ctx.harness.retention;
      const short = await retention.open(50);
      try {
        const retry = { maxAttempts: 2, backoffBaseMs: 60_000, backoffMaxMs: 60_000 };
        const failing = await short.subscribe(ctx.topic, { subscription: 'slow', retry }, (d) => {
          if (n(d) === 0) throw new Error('not yet');
        });
        const doomed = await short.subscribe(
          ctx.topic,
          { subscription: 'doomed', retry: { ...retry, maxAttempts: 1 } },
          () => {
            throw new Error('never');
          },
        );
        await short.publishMany(messages(ctx.topic, 2));
        await waitFor(() => retention.stored(deadLetterTopic(ctx.topic, 'doomed')) === 2, 'two dead letters');
        await sleep(300);
        await retention.prune();
        expect(retention.stored(ctx.topic)).toBe(1); // message 0 waits for its retry on 'slow'
        expect(retention.stored(deadLetterTopic(ctx.topic, 'doomed'))).toBe(2);
        // a reader of the dead letters (`pnpm tail`) acknowledges them: they still wait for a replay
        const reader = await ctx.collect(
          short,
          { subscription: 'tail' },
          undefined,
          deadLetterTopic(ctx.topic, 'doomed'),
        );
        await waitFor(() => reader.deliveries.length >= 2, 'the dead letters read');
        await sleep(300);
        await retention.prune();
        expect(retention.stored(deadLetterTopic(ctx.topic, 'doomed'))).toBe(2);
        await failing.close();
        await doomed.close();
      } finally {
        await short.close();
      }
    });
  });
}
