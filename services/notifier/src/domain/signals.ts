import type { AnomalyPayload, ForecastPayload } from '@stockpulse/contracts';

export type Severity = 'info' | 'warning' | 'critical';
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** One occurrence of a cause worth telling someone about. */
export interface Signal {
  /** Type × product × store (or type × store when grouped): at most one live notification per cause. */
  cause: string;
  type: string;
  severity: Severity;
  product_id?: string;
  store_location: string;
  category?: string;
  at: string;
  title: string;
  /** What happened, where, and what to check next. */
  message: string;
  anomaly_id?: string;
  forecast_series?: string;
  /** One line for a store's digest (stock signals): the product and what matters about it. */
  summary?: string;
}

const label = (type: string) => {
  const words = type.replace(/_/g, ' ');
  return words[0]!.toUpperCase() + words.slice(1);
};

/** The notification an anomaly makes, one per product (default) or one per store for all its products. */
export function fromAnomaly(a: AnomalyPayload, groupBy: 'product' | 'store'): Signal {
  const byStore = groupBy === 'store';
  return {
    cause: byStore ? `${a.type}|*|${a.store_location}` : `${a.type}|${a.product_id}|${a.store_location}`,
    type: a.type,
    severity: a.severity,
    ...(byStore ? {} : { product_id: a.product_id, category: a.category }),
    store_location: a.store_location,
    at: a.event_timestamp,
    title: byStore
      ? `${label(a.type)} at ${a.store_location}`
      : `${label(a.type)}: ${a.product_id} at ${a.store_location}`,
    message: `${a.explanation} (found by the ${a.detector.replace(/_/g, ' ')} detector in the report of ${a.event_timestamp.slice(0, 16).replace('T', ' ')} UTC.)`,
    anomaly_id: a.id,
  };
}

/**
 * What a product forecast says about stock: a stock-out expected within `withinDays`, and stock at or below
 * the reorder point. Each is raised while it holds and cleared when a later forecast says it no longer does.
 */
export function fromForecast(f: ForecastPayload, withinDays: number) {
  const raise: Signal[] = [];
  const clear: string[] = [];
  const advice = f.advice;
  if (!f.product_id || !advice) return { raise, clear };
  const where = `${f.product_id} (${f.category}) at ${f.store_location}`;
  const base = {
    product_id: f.product_id,
    store_location: f.store_location,
    category: f.category,
    at: f.generated_at,
    forecast_series: f.series_id,
  };
  const order =
    advice.suggested_order_qty > 0 ? ` Suggested order: ${Math.ceil(advice.suggested_order_qty)} units.` : '';
  const stockout = `stockout_expected|${f.product_id}|${f.store_location}`;
  const horizonEnd = new Date(Date.parse(f.generated_at) + withinDays * 86_400_000)
    .toISOString()
    .slice(0, 10);
  if (advice.stockout_date && advice.stockout_date <= horizonEnd) {
    const days = Math.max(
      0,
      Math.round((Date.parse(advice.stockout_date) - Date.parse(f.generated_at.slice(0, 10))) / 86_400_000),
    );
    raise.push({
      ...base,
      cause: stockout,
      type: 'stockout_expected',
      severity: days <= Math.min(2, withinDays) ? 'critical' : 'warning',
      title: `Stock-out expected: ${f.product_id} at ${f.store_location} by ${advice.stockout_date}`,
      summary: `${f.product_id} (${f.category}) out by ${advice.stockout_date}${advice.suggested_order_qty > 0 ? `, order ${Math.ceil(advice.suggested_order_qty)}` : ''}`,
      message: `${where} has ${advice.on_hand ?? 'an unknown number of'} units and is forecast to run out on ${advice.stockout_date}, within the ${withinDays}-day window (model ${f.model}).${order} Order now or move stock from another store.`,
    });
  } else clear.push(stockout);
  const low = `below_reorder_point|${f.product_id}|${f.store_location}`;
  if (advice.on_hand !== null && advice.on_hand <= advice.reorder_point) {
    raise.push({
      ...base,
      cause: low,
      type: 'below_reorder_point',
      severity: 'warning',
      title: `Below reorder point: ${f.product_id} at ${f.store_location}`,
      summary: `${f.product_id} (${f.category}) ${advice.on_hand} on hand, reorder point ${Math.ceil(advice.reorder_point)}${advice.suggested_order_qty > 0 ? `, order ${Math.ceil(advice.suggested_order_qty)}` : ''}`,
      message: `${where} has ${advice.on_hand} units, at or below its reorder point of ${Math.ceil(advice.reorder_point)} (${advice.lead_time_days}-day lead time, ${Math.round(advice.service_level * 100)} % service level).${order}`,
    });
  } else clear.push(low);
  return { raise, clear };
}
