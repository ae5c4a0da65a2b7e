import Type, { type Static } from 'typebox';
import { CalendarDate, Category, ProductId, StoreLocation, Timestamp } from './common.js';

const Money = Type.Number({ minimum: -1e16, maximum: 1e16 });

/** The state of one store × category window after an event changed it (latest value wins per window). */
export const MetricsWindow = Type.Object(
  {
    kind: Type.Literal('window'),
    store_location: StoreLocation,
    category: Category,
    window: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
    window_start: Timestamp,
    total_quantity: Type.Integer(),
    total_stock_value: Money,
    avg_price: Type.Number({ minimum: 0 }),
    units_sold: Type.Integer({ minimum: 0 }),
    units_received: Type.Integer({ minimum: 0 }),
    event_count: Type.Integer({ minimum: 0 }),
    /** The category's stock value over all stores at the window's end. */
    stock_value_by_category: Money,
    /** Mean stock value of this window and the 4 before it (same store × category × window kind). */
    moving_avg_stock_value: Money,
    /** Units sold ÷ average units on hand in the window; null with no stock. */
    turnover_rate: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    /** Closing stock ÷ average daily demand of the 7 days to the window's end; null when nothing sold. */
    days_of_cover: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    opening_quantity: Type.Integer(),
    product_count: Type.Integer({ minimum: 0 }),
    updated_at: Timestamp,
  },
  { additionalProperties: true },
);

/** One product's day at one store, so far. */
export const ProductDay = Type.Object(
  {
    product_id: ProductId,
    category: Category,
    units_sold: Type.Integer({ minimum: 0 }),
    units_received: Type.Integer({ minimum: 0 }),
    /** Stock on hand at the end of the day as last reported, when known; and its price. */
    closing_quantity: Type.Optional(Type.Integer()),
    price: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: true },
);

/**
 * Units sold (and received) per product at one store on one UTC day, so far: the forecaster's input. One
 * message carries every product of the store whose day changed since the last update (not one message per
 * product: a day of history for a large store is one message, not thousands).
 */
export const DailyDemand = Type.Object(
  {
    kind: Type.Literal('daily_demand'),
    store_location: StoreLocation,
    date: CalendarDate,
    products: Type.Array(ProductDay, { minItems: 1, maxItems: 10_000 }),
    updated_at: Timestamp,
  },
  { additionalProperties: true },
);

export const InventoryMetricsPayload = Type.Union([MetricsWindow, DailyDemand]);
export type InventoryMetricsPayload = Static<typeof InventoryMetricsPayload>;
export type MetricsWindow = Static<typeof MetricsWindow>;
export type DailyDemand = Static<typeof DailyDemand>;
export type ProductDay = Static<typeof ProductDay>;
