import Type, { type Static } from 'typebox';
import { CalendarDate, Category, Label, ProductId, StoreLocation, Timestamp } from './common.js';

const NonNegative = Type.Number({ minimum: 0 });

export const ForecastPoint = Type.Object({
  date: CalendarDate,
  value: NonNegative,
  lower_80: NonNegative,
  upper_80: NonNegative,
  lower_95: NonNegative,
  upper_95: NonNegative,
});

export const ReorderAdvice = Type.Object({
  lead_time_days: Type.Integer({ minimum: 0 }),
  service_level: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
  on_hand: Type.Union([Type.Integer(), Type.Null()]),
  safety_stock: NonNegative,
  reorder_point: NonNegative,
  stockout_date: Type.Union([CalendarDate, Type.Null()]),
  suggested_order_qty: NonNegative,
  /** Stock on hand minus forecast demand, day by day (no receipts); null quantities when stock is unknown. */
  projected_stock: Type.Optional(
    Type.Array(Type.Object({ date: CalendarDate, quantity: Type.Union([Type.Number(), Type.Null()]) }), {
      maxItems: 90,
    }),
  ),
});

/** A new forecast for one series: product × store, or category × store when `product_id` is absent. */
export const ForecastPayload = Type.Object(
  {
    series_id: Label(200),
    product_id: Type.Optional(ProductId),
    store_location: StoreLocation,
    category: Category,
    model: Label(64),
    /** Why this model: its backtest score against the others'. */
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    generated_at: Timestamp,
    horizon: Type.Integer({ minimum: 1, maximum: 90 }),
    points: Type.Array(ForecastPoint, { maxItems: 90 }),
    advice: Type.Optional(ReorderAdvice),
  },
  { additionalProperties: true },
);
export type ForecastPayload = Static<typeof ForecastPayload>;
