import type { MessageBus } from '@stockpulse/bus';
import { NotFoundError, type FastifyPluginAsyncTypebox } from '@stockpulse/service-kit';
import Type from 'typebox';

const DeadLetterTopic = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,195}\\.dlq$',
  description: 'a dead-letter topic, `<topic>.<subscription>.dlq`',
});
const ReplayParams = Type.Object({ topic: DeadLetterTopic });
const ReplayBody = Type.Object(
  {
    /** The oldest `limit` messages go back (default 1,000); the rest stay. */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

/** The dead letters of every subscription, in the shape of the API (snake case), with their total. */
export async function deadLetterSummary(bus: MessageBus) {
  const queues = (await bus.deadLetters()).map((q) => ({
    topic: q.topic,
    origin_topic: q.originTopic,
    subscription: q.subscription,
    depth: q.depth,
  }));
  return { total: queues.reduce((sum, q) => sum + q.depth, 0), queues };
}

/**
 * Dead letters, platform-wide: `GET /api/dlq` (depth per subscription) and `POST /api/dlq/:topic/replay`
 * (moves the oldest messages of one dead-letter topic back to their topic, once the cause is fixed; the
 * services that handled them before skip them by envelope id). Answered from the bus itself, so they work
 * whichever service a dead letter belongs to, and while it is down.
 */
export const dlqRoutes: FastifyPluginAsyncTypebox<{ bus: MessageBus }> = async (app, { bus }) => {
  app.get('/api/dlq', async () => deadLetterSummary(bus));

  app.post(
    '/api/dlq/:topic/replay',
    { schema: { params: ReplayParams, body: ReplayBody } },
    async (request) => {
      const { topic } = request.params;
      const limit = request.body?.limit ?? 1000;
      const queue = (await bus.deadLetters()).find((q) => q.topic === topic);
      if (!queue) {
        throw new NotFoundError(
          `topic: '${topic}' is not the dead-letter topic of any subscription (GET /api/dlq lists them)`,
        );
      }
      const replayed = await bus.replayDeadLetters(topic, limit);
      request.log.info({ topic, replayed }, 'dead letters replayed');
      return { topic, replayed, remaining: Math.max(0, queue.depth - replayed) };
    },
  );
};
