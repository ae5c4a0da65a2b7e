import type { ReplenishmentItem } from '@stockpulse/contracts';
import type { ReorderAdvice } from './advice.js';

/** A product series with its stored reorder advice, and its latest known unit price. */
export interface AdvisedSeries {
  store_location: string;
  product_id: string;
  category: string;
  /** The last day of data: the advice's stock on hand is that day's closing stock. */
  last_date: string;
  advice: ReorderAdvice;
  unit_price: number | null;
}

const DAY_MS = 86_400_000;
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const round = (v: number) => Math.round(v * 100) / 100;

/**
 * Forecast demand over the first `days` days, read back from the advice's projection (stock on hand less the
 * forecast, day by day); past the projection, at its mean daily rate — as the advice itself extends a forecast.
 */
function demandOver(advice: ReorderAdvice, days: number): number {
  const projected = advice.projected_stock;
  const onHand = advice.on_hand ?? 0;
  const soldBy = (i: number) => onHand - (projected[i]!.quantity ?? onHand);
  if (!projected.length) return 0;
  if (days <= projected.length) return soldBy(days - 1);
  return (soldBy(projected.length - 1) / projected.length) * days;
}

/**
 * The order a product × store needs now, from its reorder advice (advice.ts), or null when it needs none:
 * - stock at or below the reorder point (the advice's own rule): order what the advice suggests (up to the
 *   demand over lead time + review period + safety stock);
 * - otherwise, a projected stock-out before an order placed at the next review (`reviewDays` from today) could
 *   arrive (today + lead time + review period): the same order-up-to quantity, from the projection.
 * Stock never reported gives no order (there is nothing to subtract from). `order_by` is the stock-out date
 * less the lead time, not before today; today when no stock-out is projected within the forecast.
 */
export function replenishmentOf(
  series: AdvisedSeries,
  today: string,
  reviewDays: number,
): ReplenishmentItem | null {
  const a = series.advice;
  if (a.on_hand === null) return null;
  const lead = a.lead_time_days;
  const atReorderPoint = a.on_hand <= a.reorder_point;
  const outSoon = a.stockout_date !== null && a.stockout_date < addDays(today, lead + reviewDays);
  if (!atReorderPoint && !outSoon) return null;
  const quantity = atReorderPoint
    ? a.suggested_order_qty
    : Math.ceil(Math.max(0, round(a.safety_stock + demandOver(a, lead + reviewDays) - a.on_hand)));
  if (quantity <= 0) return null;
  const latest = a.stockout_date === null ? today : addDays(a.stockout_date, -lead);
  return {
    store_location: series.store_location,
    product_id: series.product_id,
    category: series.category,
    reason: atReorderPoint ? 'reorder_point' : 'stockout',
    order_by: latest < today ? today : latest,
    order_quantity: quantity,
    unit_price: series.unit_price,
    order_value: series.unit_price === null ? null : round(quantity * series.unit_price),
    quantity_on_hand: a.on_hand,
    stock_as_of: series.last_date,
    reorder_point: a.reorder_point,
    safety_stock: a.safety_stock,
    lead_time_demand: round(a.reorder_point - a.safety_stock),
    lead_time_days: lead,
    stockout_date: a.stockout_date,
  };
}
