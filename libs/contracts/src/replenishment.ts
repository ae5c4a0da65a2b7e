/**
 * The replenishment list (`GET /api/replenishment`, the forecaster's): one row per product × store that needs
 * an order. Its purchase list (`format=csv`) is written here so that the forecaster and the gateway (which
 * merges the replicas' rows with PARTITIONS > 1) write the same bytes for the same rows.
 */
export interface ReplenishmentItem {
  store_location: string;
  product_id: string;
  category: string;
  /** Why it needs an order: stock at or below its reorder point, or a stock-out before the next order could arrive. */
  reason: 'reorder_point' | 'stockout';
  /** The latest date to order: the expected stock-out minus the lead time, not before today. */
  order_by: string;
  order_quantity: number;
  unit_price: number | null;
  order_value: number | null;
  quantity_on_hand: number;
  /** The day whose closing stock `quantity_on_hand` is (the forecast starts the day after). */
  stock_as_of: string;
  reorder_point: number;
  safety_stock: number;
  /** Forecast demand over the lead time (reorder point − safety stock). */
  lead_time_demand: number;
  lead_time_days: number;
  stockout_date: string | null;
}

/** The list's default order, and every sort's tie-break (a product × store is one row). */
export const REPLENISHMENT_ORDER: readonly (readonly [keyof ReplenishmentItem, 1 | -1])[] = [
  ['order_by', 1],
  ['store_location', 1],
  ['product_id', 1],
];

/** The purchase list's columns, in order. */
export const REPLENISHMENT_COLUMNS: readonly (keyof ReplenishmentItem)[] = [
  'store_location',
  'product_id',
  'category',
  'order_by',
  'order_quantity',
  'unit_price',
  'order_value',
  'quantity_on_hand',
  'stock_as_of',
  'reorder_point',
  'safety_stock',
  'lead_time_demand',
  'lead_time_days',
  'stockout_date',
  'reason',
];

export const REPLENISHMENT_CSV = {
  type: 'text/csv; charset=utf-8',
  disposition: 'attachment; filename="replenishment.csv"',
};

/**
 * A CSV cell, always quoted (quotes doubled). Text starting with = + - @ (or a tab or carriage return) would be a
 * formula to a spreadsheet: it gets a leading ' (the dashboard's rule). Numbers are written as numbers — a
 * negative stock is -3, not a formula; null is empty.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '""';
  let text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** The purchase list: a header of the column names, then one line per row, each line ended by CRLF. */
export function replenishmentCsv(items: readonly ReplenishmentItem[]): string {
  const lines = [
    REPLENISHMENT_COLUMNS.map(csvCell).join(','),
    ...items.map((item) => REPLENISHMENT_COLUMNS.map((c) => csvCell(item[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
