import {
  deadLetterTopic,
  partitionTopic,
  subscriptionNames,
  SUBSCRIPTIONS,
  topicNames,
} from '@stockpulse/contracts';
import type { PulsarAdmin } from './admin.js';

/** Dead letters stay on the broker under this subscription until replayed (the embedded bus keeps them too). */
export const REPLAY_SUBSCRIPTION = 'replay';

/**
 * Acknowledged messages are kept 24 h (a consumer added later, or `pnpm tail --from earliest`, reads back) up
 * to 8 GB a topic; an unconsumed backlog is never dropped: past 4 GB a topic holds its producers back until
 * consumers catch up. Pulsar refuses a backlog quota that is not below the retention size.
 */
export const RETENTION = { minutes: 24 * 60, sizeMb: 8 * 1024 };
export const BACKLOG_QUOTA_BYTES = 4 * 1024 ** 3;

/**
 * The dead-letter topic of one subscription with its `replay` subscription, made before the first dead letter
 * exists: on Pulsar a topic keeps only what some subscription has not acknowledged (or what retention holds).
 */
export async function ensureDeadLetterTopic(
  admin: PulsarAdmin,
  namespace: string,
  topic: string,
  subscription: string,
): Promise<string> {
  const dlq = deadLetterTopic(topic, subscription);
  await admin.createTopic(namespace, dlq);
  await admin.createSubscription(namespace, dlq, REPLAY_SUBSCRIPTION, 'earliest');
  return dlq;
}

export interface SetUpSummary {
  namespace: string;
  topics: string[];
  subscriptions: string[];
  deadLetterTopics: string[];
}

/**
 * The one Pulsar set-up of stockpulse, run by `BUS=pulsar pnpm start`, by the tests and by the compose file's
 * `pulsar-init`: the namespace with its retention and backlog policies, the five topics (partitioned into
 * `partitions` when more than 1), every service's durable subscription (contracts' SUBSCRIPTIONS) and its
 * dead-letter topic (one per partition). Safe to run again; a topic keeps the partitions it was made with (a
 * process started with another count is refused when it first uses the topic).
 */
export async function setUpPulsar(
  admin: PulsarAdmin,
  namespace = 'public/default',
  partitions = 1,
): Promise<SetUpSummary> {
  await admin.createNamespace(namespace);
  await admin.setRetention(namespace, RETENTION.minutes, RETENTION.sizeMb);
  await admin.setBacklogQuota(namespace, BACKLOG_QUOTA_BYTES);
  for (const topic of topicNames) {
    if (partitions > 1) await admin.createPartitionedTopic(namespace, topic, partitions);
    else await admin.createTopic(namespace, topic);
  }
  const physical = (topic: string) =>
    partitions > 1 ? Array.from({ length: partitions }, (_, i) => partitionTopic(topic, i)) : [topic];
  const summary: SetUpSummary = {
    namespace,
    topics: [...topicNames],
    subscriptions: [],
    deadLetterTopics: [],
  };
  for (const s of SUBSCRIPTIONS)
    for (const name of subscriptionNames(s, partitions)) {
      await admin.createSubscription(namespace, s.topic, name, s.initialPosition);
      summary.subscriptions.push(`${s.topic}/${name}`);
      for (const t of physical(s.topic))
        summary.deadLetterTopics.push(await ensureDeadLetterTopic(admin, namespace, t, name));
    }
  return summary;
}
