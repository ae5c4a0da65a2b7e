import { probit } from 'simple-statistics';

export interface AdviceInput {
  /** Stock on hand at the end of the last reported day; null when never reported. */
  onHand: number | null;
  /** Daily forecast from the day after the data, and its dates. */
  forecast: number[];
  dates: string[];
  /** Standard deviation of one day's forecast error (backtest RMSE of the chosen model). */
  sigma: number;
  leadTimeDays: number;
  serviceLevel: number;
  /** Days between two orders: an order covers lead time + review period. */
  reviewDays: number;
}

/**
 * Reorder advice from a forecast, by the textbook periodic-review rules: safety stock z·σ·√L for the
 * service level; reorder point = demand over the lead time + safety stock; order up to the demand over
 * lead time + review period + safety stock when stock is at or below the reorder point. The projection
 * subtracts forecast demand from today's stock, day by day, with no receipts: its first day at or below
 * zero is the expected stock-out.
 */
export function adviseReorder(input: AdviceInput) {
  const { forecast, leadTimeDays: lead, serviceLevel } = input;
  const mean = forecast.length ? forecast.reduce((a, b) => a + b, 0) / forecast.length : 0;
  const demandOver = (days: number) =>
    Array.from({ length: days }, (_, i) => forecast[i] ?? mean).reduce((a, b) => a + b, 0);
  const safety = probit(serviceLevel) * input.sigma * Math.sqrt(lead);
  const reorderPoint = demandOver(lead) + safety;
  const orderUpTo = demandOver(lead + input.reviewDays) + safety;
  let stock = input.onHand;
  const projected = input.dates.map((date, i) => {
    stock = stock === null ? null : stock - forecast[i]!;
    return { date, quantity: stock === null ? null : round(stock) };
  });
  const out = projected.find((p) => p.quantity !== null && p.quantity <= 0);
  const onHand = input.onHand;
  return {
    lead_time_days: lead,
    service_level: serviceLevel,
    on_hand: onHand,
    safety_stock: round(safety),
    reorder_point: round(reorderPoint),
    stockout_date: out?.date ?? null,
    suggested_order_qty:
      onHand !== null && onHand <= reorderPoint ? Math.ceil(Math.max(0, orderUpTo - onHand)) : 0,
    projected_stock: projected,
  };
}

export type ReorderAdvice = ReturnType<typeof adviseReorder>;

const round = (v: number) => Math.round(v * 100) / 100;
