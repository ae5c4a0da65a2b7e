import { route } from '../url-state.js';
import type { Point } from '../forecast-chart.js';
import type { Judged } from './anomaly-review.js';

/** What the product page shows, and where it reads which product (sections/product.ts). */
export interface Stock {
  product_id: string;
  store_location: string;
  category: string;
  description: string;
  quantity: number;
  price: number;
  stock_value: number;
  updated_at: string;
  units_sold_7d?: number;
  days_of_cover?: number | null;
}

export interface Advice {
  lead_time_days?: number;
  service_level?: number;
  on_hand: number | null;
  safety_stock: number;
  reorder_point: number;
  stockout_date: string | null;
  suggested_order_qty: number;
  projected_stock?: { date: string; quantity: number | null }[];
}

export interface Forecast {
  series_id: string;
  model: string;
  chosen_model?: string;
  reason?: string;
  horizon: number;
  last_date?: string;
  generated_at?: string;
  points: Point[];
  history?: { date: string; units: number }[];
  advice?: Advice;
}

export interface Order {
  product_id: string;
  reason: string;
  order_by: string;
  order_quantity: number;
  order_value: number | null;
}

export type Event = Record<string, unknown> & { event_timestamp: string; quantity?: number };
export type Anomaly = Record<string, unknown> & Judged & { severity: string };
export type Notification = Record<string, unknown> & {
  severity: string;
  product_id?: string;
  products?: string[];
};

export const HISTORY_DAYS = 90;
/** Days of past predictions drawn next to what was sold (how the model did lately). */
export const PAST_DAYS = 28;
export const STOCK_EVENTS = 200;
export const DAY_S = 86_400;

export const enc = encodeURIComponent;
export const epoch = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

/** The store and product the URL names (blank when missing). */
export function named() {
  const { params } = route();
  return { store: params.get('store')?.trim() ?? '', product: params.get('product')?.trim() ?? '' };
}
export const keyOf = (n: { store: string; product: string }) => `${n.store}|${n.product}`;
