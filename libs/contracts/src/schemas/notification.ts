import Type, { type Static } from 'typebox';
import { Category, Label, ProductId, Severity, StoreLocation, Timestamp } from './common.js';

export const NotificationStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('acknowledged'),
  Type.Literal('resolved'),
  Type.Literal('snoozed'),
]);

/** The current state of a notification after a change (opened, repeated, acknowledged, …). */
export const NotificationPayload = Type.Object(
  {
    id: Label(128),
    change: Label(32),
    type: Label(64),
    severity: Severity,
    status: NotificationStatus,
    title: Type.String({ minLength: 1, maxLength: 300 }),
    message: Type.String({ minLength: 1, maxLength: 4000 }),
    product_id: Type.Optional(ProductId),
    store_location: StoreLocation,
    category: Type.Optional(Category),
    count: Type.Integer({ minimum: 1 }),
    first_seen: Timestamp,
    last_seen: Timestamp,
    anomaly_ids: Type.Array(Label(128)),
  },
  { additionalProperties: true },
);
export type NotificationPayload = Static<typeof NotificationPayload>;
