import type { Static, TSchema } from 'typebox';
import { AnomalyPayload } from './schemas/anomaly.js';
import { ForecastPayload } from './schemas/forecast.js';
import { InventoryEventPayload } from './schemas/inventory-event.js';
import { InventoryMetricsPayload } from './schemas/inventory-metrics.js';
import { NotificationPayload } from './schemas/notification.js';

interface TopicDefinition<S extends TSchema> {
  /** The envelope `type` every message of this topic carries. */
  readonly type: string;
  /** Payload schema version; bump on a breaking change and keep consumers of the old one working. */
  readonly version: number;
  readonly schema: S;
  /** The message key (`<store_location>/<product_id>` where the payload has them): per-key order on key_shared. */
  readonly key: (payload: Static<S>) => string;
}

const define = <S extends TSchema>(definition: TopicDefinition<S>) => definition;

const storeProduct = (p: { store_location: string; product_id?: string | undefined; category?: string }) =>
  `${p.store_location}/${p.product_id ?? `category:${p.category ?? ''}`}`;

/** The one map from topic name to payload contract. Every publish and every consume goes through it. */
export const Topics = {
  'stockpulse.inventory-events': define({
    type: 'inventory-event',
    version: 1,
    schema: InventoryEventPayload,
    key: storeProduct,
  }),
  'stockpulse.inventory-metrics': define({
    type: 'inventory-metrics',
    version: 1,
    schema: InventoryMetricsPayload,
    key: (p) => (p.kind === 'daily_demand' ? storeProduct(p) : `${p.store_location}/category:${p.category}`),
  }),
  'stockpulse.forecasts': define({
    type: 'forecast',
    version: 1,
    schema: ForecastPayload,
    key: storeProduct,
  }),
  'stockpulse.anomalies': define({ type: 'anomaly', version: 1, schema: AnomalyPayload, key: storeProduct }),
  'stockpulse.notifications': define({
    type: 'notification',
    version: 1,
    schema: NotificationPayload,
    key: storeProduct,
  }),
} as const;

export type TopicName = keyof typeof Topics;
export type PayloadOf<T extends TopicName> = Static<(typeof Topics)[T]['schema']>;

export const topicNames = Object.keys(Topics) as TopicName[];

export const isTopicName = (name: string): name is TopicName => Object.hasOwn(Topics, name);

/** Dead letters of one subscription: `<topic>.<subscription>.dlq` (INTERFACE.md). */
export const deadLetterTopic = (topic: string, subscription: string) => `${topic}.${subscription}.dlq`;
