import Type, { type Static } from 'typebox';
import { Category, Label, ProductId, Severity, StoreLocation, Timestamp } from './common.js';

/** One detected anomaly, explained in one sentence a store manager understands. */
export const AnomalyPayload = Type.Object(
  {
    id: Label(128),
    detector: Label(64),
    type: Label(64),
    severity: Severity,
    score: Type.Number(),
    explanation: Type.String({ minLength: 1, maxLength: 2000 }),
    event_id: Type.Optional(Label(128)),
    product_id: ProductId,
    store_location: StoreLocation,
    category: Category,
    event_timestamp: Timestamp,
    detected_at: Timestamp,
  },
  { additionalProperties: true },
);
export type AnomalyPayload = Static<typeof AnomalyPayload>;

/** The anomalies the generator can inject, with labels, so that detection can be scored against them. */
export const ANOMALY_KINDS = [
  'price_spike',
  'quantity_spike',
  'negative_stock',
  'stock_drop_without_sales',
  'gibberish_description',
  'wrong_category_description',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
