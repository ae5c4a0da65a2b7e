import { Port, serviceEnv, Url } from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';

export const NotifierConfig = serviceEnv({
  NOTIFIER_PORT: Port(3005),
  /** Where explanations read current stock (with PARTITIONS > 1: from the replica that owns the store). */
  PROCESSOR_URL: Url('http://127.0.0.1:3002'),
  /** The processor's replicas, comma-separated in replica order, when not on PROCESSOR_URL's port + 10 × i. */
  PROCESSOR_URLS: Type.Optional(Type.String({ minLength: 1 })),
  /** Anomalies below this severity make no notification. */
  NOTIFY_MIN_SEVERITY: Type.Enum(['info', 'warning', 'critical'], { default: 'warning' }),
  /**
   * What one notification covers: `product` — one per type × product × store; `store` — one per type × store,
   * however many of its products show it (the products are listed in the message).
   */
  NOTIFY_GROUP_BY: Type.Enum(['product', 'store'], { default: 'product' }),
  /**
   * Low-stock and stock-out signals: `store` — one digest per store and type that lists its products and
   * updates in place; `product` — one notification per product.
   */
  NOTIFY_STOCK_DIGEST: Type.Enum(['store', 'product'], { default: 'store' }),
  /** A stock condition notifies once this many forecasts in a row said it holds (its pending period)… */
  NOTIFY_PENDING_OBSERVATIONS: Type.Integer({ minimum: 1, maximum: 100, default: 2 }),
  /** …and at least this long passed between the first and the latest of them. */
  NOTIFY_PENDING_MS: Type.Integer({ minimum: 0, maximum: 7 * 86_400_000, default: 0 }),
  /** Days ahead within which an expected stock-out notifies (the lead time by default). */
  STOCKOUT_WITHIN_DAYS: Type.Integer({ minimum: 0, maximum: 90, default: 7 }),
  /** Comma-separated URLs to deliver to, besides those registered with POST /api/webhooks. */
  WEBHOOK_URLS: Type.String({ default: '' }),
  /** The HMAC-SHA256 key for WEBHOOK_URLS deliveries (a registered webhook has its own). */
  WEBHOOK_SECRET: Type.String({ default: '' }),
  WEBHOOK_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 20, default: 6 }),
  /** First retry after this long, doubling each time up to WEBHOOK_BACKOFF_MAX_MS. */
  WEBHOOK_BACKOFF_MS: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 1000 }),
  WEBHOOK_BACKOFF_MAX_MS: Type.Integer({ minimum: 10, maximum: 86_400_000, default: 300_000 }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 5000 }),
  /** How often due deliveries and ended snoozes are looked for. */
  NOTIFIER_TICK_MS: Type.Integer({ minimum: 10, maximum: 60_000, default: 500 }),
});
export type NotifierConfig = Static<typeof NotifierConfig>;
