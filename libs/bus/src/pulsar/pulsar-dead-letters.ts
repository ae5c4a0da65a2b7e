import { deadLetterTopic } from '@stockpulse/contracts';
import type * as Pulsar from 'pulsar-client';
import { replayOf } from '../dispatch.js';
import type { DeadLetterQueue } from '../port.js';
import { REPLAY_SUBSCRIPTION } from './pulsar-consumer.js';

export interface PulsarDeadLetterDeps {
  client: Pulsar.Client;
  /** e.g. `http://localhost:8080`: the broker's admin REST API. */
  adminUrl: string;
  namespace: string;
  topicUrl(name: string): string;
  sendRaw(topic: string, data: Buffer, key: string, properties: Record<string, string>): Promise<void>;
}

/** The admin API's URL when none is configured: the broker's host on Pulsar's default web port (TLS: 8443). */
export const defaultAdminUrl = (serviceUrl: string): string => {
  const tls = serviceUrl.startsWith('pulsar+ssl:');
  const host = new URL(serviceUrl.replace(/^pulsar(\+ssl)?:/, 'http:')).hostname;
  return tls ? `https://${host}:8443` : `http://${host}:8080`;
};

/**
 * Dead letters on Pulsar. Every dead-letter topic has the `replay` subscription from before its first message
 * (pulsar-consumer.ts), so its depth is that subscription's backlog, read from the admin API; the pairs of
 * topic and subscription come from the admin API too. A replay consumes from `replay`, sends each message to
 * its topic and only then acknowledges it: a crash in between sends it twice, which the inboxes absorb.
 */
export function pulsarDeadLetters(deps: PulsarDeadLetterDeps) {
  const admin = async <T>(path: string, missing: T): Promise<T> => {
    const res = await fetch(`${deps.adminUrl}/admin/v2/persistent/${deps.namespace}${path}`, {
      signal: AbortSignal.timeout(5000),
    });
    if (res.status === 404) return missing;
    if (!res.ok) throw new Error(`Pulsar admin API answered ${res.status} for ${path}`);
    return (await res.json()) as T;
  };
  const name = (url: string) => url.slice(url.lastIndexOf('/') + 1);

  return {
    async list(): Promise<DeadLetterQueue[]> {
      const topics = (await admin<string[]>('', [])).map(name).filter((t) => !t.endsWith('.dlq'));
      const pairs = await Promise.all(
        topics.map(async (topic) =>
          (await admin<string[]>(`/${encodeURIComponent(topic)}/subscriptions`, [])).map((s) => ({
            topic,
            subscription: s,
          })),
        ),
      );
      return Promise.all(
        pairs.flat().map(async ({ topic, subscription }) => {
          const dlq = deadLetterTopic(topic, subscription);
          const stats = await admin<{ subscriptions?: Record<string, { msgBacklog?: number }> }>(
            `/${encodeURIComponent(dlq)}/stats`,
            {},
          );
          const depth = stats.subscriptions?.[REPLAY_SUBSCRIPTION]?.msgBacklog ?? 0;
          return { topic: dlq, originTopic: topic, subscription, depth };
        }),
      );
    },

    async replay(dlq: string, limit: number): Promise<number> {
      const consumer = await deps.client.subscribe({
        topic: deps.topicUrl(dlq),
        subscription: REPLAY_SUBSCRIPTION,
        subscriptionType: 'Shared',
        subscriptionInitialPosition: 'Earliest',
      });
      let moved = 0;
      try {
        while (moved < limit) {
          // a timed receive: the backlog is what arrives within a second
          const message = await consumer.receive(1000).catch(() => undefined);
          if (!message) break;
          const to = replayOf(dlq, message.getProperties());
          await deps.sendRaw(to.topic, message.getData(), message.getPartitionKey(), to.properties);
          await consumer.acknowledge(message);
          moved++;
        }
      } finally {
        await consumer.close();
      }
      return moved;
    },
  };
}
