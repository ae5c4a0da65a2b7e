import type { TopicName } from './topics.js';

/** A durable subscription one of the platform's services holds. */
export interface KnownSubscription {
  topic: TopicName;
  subscription: string;
  /** Where it starts when it is first made (the gateway's live stream is about now). */
  initialPosition: 'earliest' | 'latest';
  /**
   * Read whole by every replica (the forecaster learns from every store): with PARTITIONS > 1 replica i holds
   * `<subscription>-<i>` over every partition instead (`subscriptionNames`).
   */
  everyPartition?: true;
}

/** The names a known subscription has with `partitions` partitions (one per replica where every one reads all). */
export const subscriptionNames = (s: KnownSubscription, partitions: number): string[] =>
  s.everyPartition && partitions > 1
    ? Array.from({ length: partitions }, (_, i) => replicaSubscription(s.subscription, i))
    : [s.subscription];

/** Replica i's own subscription to a topic every replica reads whole. */
export const replicaSubscription = (subscription: string, replica: number) => `${subscription}-${replica}`;

/**
 * Every durable subscription of the platform's services, with the topic it reads. The Pulsar set-up makes each
 * one (and its dead-letter topic `<topic>.<subscription>.dlq` with the `replay` subscription) before a service
 * starts, so a message published before its consumer first connects is kept for it. A test holds this list to
 * the services' code.
 */
export const SUBSCRIPTIONS: readonly KnownSubscription[] = [
  { topic: 'stockpulse.inventory-events', subscription: 'processor', initialPosition: 'earliest' },
  { topic: 'stockpulse.inventory-events', subscription: 'anomaly', initialPosition: 'earliest' },
  {
    topic: 'stockpulse.inventory-metrics',
    subscription: 'forecaster',
    initialPosition: 'earliest',
    everyPartition: true,
  },
  { topic: 'stockpulse.forecasts', subscription: 'anomaly-forecasts', initialPosition: 'earliest' },
  { topic: 'stockpulse.forecasts', subscription: 'notifier-forecasts', initialPosition: 'earliest' },
  { topic: 'stockpulse.anomalies', subscription: 'notifier', initialPosition: 'earliest' },
  ...(
    [
      'stockpulse.inventory-metrics',
      'stockpulse.forecasts',
      'stockpulse.anomalies',
      'stockpulse.notifications',
    ] as const
  ).map((topic) => ({ topic, subscription: 'gateway-stream', initialPosition: 'latest' as const })),
];
