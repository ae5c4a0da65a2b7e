import { replayOf } from '../dispatch.js';
import { REPLAY_SUBSCRIPTION } from './setup.js';
import type { PulsarTransport } from './transport.js';

/**
 * Moves up to `limit` of the oldest messages of a dead-letter topic back to the topic they came from: consumed
 * from its `replay` subscription, sent, and only then acknowledged (a crash in between sends one twice, which
 * the inboxes absorb). Only what waited when the replay began moves (`waiting`, the subscription's backlog):
 * a replayed message that fails again comes back to this topic meanwhile, and must not go round again.
 */
export async function replayDeadLetters(
  transport: PulsarTransport,
  dlq: string,
  wanted: number,
  waiting: number,
  url: (name: string) => string,
): Promise<number> {
  const limit = Math.min(wanted, waiting);
  if (limit < 1) return 0;
  const consumer = await transport.subscribe({
    topic: url(dlq),
    subscription: REPLAY_SUBSCRIPTION,
    type: 'shared',
    initialPosition: 'earliest',
    receiverQueueSize: Math.min(limit, 1000),
  });
  let moved = 0;
  try {
    while (moved < limit) {
      const batch = await consumer.receive(limit - moved, 1000);
      if (!batch.length) break;
      for (const message of batch) {
        const to = replayOf(dlq, message.properties);
        await transport.send(url(to.topic), [
          { data: message.data, key: message.key, properties: to.properties },
        ]);
        consumer.ack(message);
        moved++;
      }
    }
  } finally {
    await consumer.close();
  }
  return moved;
}
