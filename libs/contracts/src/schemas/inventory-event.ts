import Type, { type Static } from 'typebox';
import { Category, Label, MAX_PRICE, MAX_QUANTITY, ProductId, StoreLocation, Timestamp } from './common.js';

/**
 * One observation of a product at a store, as accepted by ingest (see INTERFACE.md, "Inventory event").
 * On the bus every event has its `event_id` (given, or derived by ingest from the record's content) and its
 * `event_timestamp` normalised to UTC.
 */
export const InventoryEventPayload = Type.Object(
  {
    event_id: Label(128),
    product_id: ProductId,
    store_location: StoreLocation,
    category: Category,
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    quantity: Type.Optional(Type.Integer({ minimum: -MAX_QUANTITY, maximum: MAX_QUANTITY })),
    units_sold: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_QUANTITY })),
    units_received: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_QUANTITY })),
    price: Type.Number({ minimum: 0, maximum: MAX_PRICE }),
    event_timestamp: Timestamp,
    /** When ingest accepted the record (its clock, not the event's). */
    received_at: Timestamp,
    /** `api` for records posted by users, `generator` for demo and load data. */
    source: Type.Union([Type.Literal('api'), Type.Literal('generator')]),
  },
  { additionalProperties: true },
);
export type InventoryEventPayload = Static<typeof InventoryEventPayload>;
