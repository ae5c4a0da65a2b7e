import type { SqliteDatabase } from '@stockpulse/service-kit';
import { windowPayload } from '../src/db/flush.js';
import type { StoredWindow } from '../src/db/window-store.js';
import {
  DEMAND_DAYS,
  MOVING_AVERAGE_WINDOWS,
  round,
  WINDOW_MS,
  type WindowKind,
} from '../src/domain/windows.js';

/** The latest stock report of each product of a group before `end` (exclusive): a window's closing state. */
const LATEST_BEFORE = (end: string, where: string) => `
  FROM products pr JOIN snapshots s ON s.id = (
    SELECT y.id FROM snapshots y
    WHERE y.store_location = pr.store_location AND y.product_id = pr.product_id AND y.quantity IS NOT NULL
      AND y.event_timestamp < ${end}
    ORDER BY y.event_timestamp DESC, y.event_id DESC LIMIT 1)
  WHERE ${where}`;

/**
 * The straightforward recomputation the incremental windows must agree with: every figure of every stored
 * window computed from the stored reports alone (as the processor did before it kept windows incrementally),
 * shown as the API shows windows.
 */
export function recomputeWindows(db: SqliteDatabase, kind: WindowKind) {
  const closing = db.prepare<
    { store: string; category: string; end: number },
    { n: number; qty: number | null; value: number | null; prices: number | null }
  >(`SELECT COUNT(*) AS n, SUM(s.quantity) AS qty, SUM(s.quantity * s.price) AS value, SUM(s.price) AS prices
      ${LATEST_BEFORE('@end', 'pr.store_location = @store AND pr.category = @category')}`);
  const categoryValue = db.prepare<{ category: string; end: number }, { value: number | null }>(
    `SELECT SUM(s.quantity * s.price) AS value ${LATEST_BEFORE('@end', 'pr.category = @category')}`,
  );
  const flows = db.prepare<
    { store: string; category: string; from: number; to: number },
    { sold: number | null; received: number | null; count: number }
  >(`SELECT SUM(demand) AS sold, SUM(receipts) AS received, COUNT(*) AS count FROM snapshots
      WHERE store_location = @store AND category = @category AND event_timestamp >= @from AND event_timestamp < @to`);
  const keys = db
    .prepare<[string], Pick<StoredWindow, 'store_location' | 'category' | 'window_start'>>(
      `SELECT store_location, category, window_start FROM windows WHERE window = ?
       ORDER BY store_location, category, window_start`,
    )
    .all(kind);
  const values = new Map<string, number[]>();
  const out = keys.map(({ store_location: store, category, window_start: start }) => {
    const end = start + WINDOW_MS[kind];
    const close = closing.get({ store, category, end })!;
    const open = closing.get({ store, category, end: start })!;
    const flow = flows.get({ store, category, from: start, to: end })!;
    const week = flows.get({ store, category, from: end - DEMAND_DAYS * WINDOW_MS.day, to: end })!;
    const value = round(close.value ?? 0, 4);
    const series = values.get(`${store}|${category}`) ?? [];
    values.set(`${store}|${category}`, [...series, value]);
    const last = [...series.slice(-(MOVING_AVERAGE_WINDOWS - 1)), value];
    const row: StoredWindow = {
      store_location: store,
      category,
      window: kind,
      window_start: start,
      window_end: end,
      opening_quantity: open.qty ?? 0,
      total_quantity: close.qty ?? 0,
      total_stock_value: value,
      sum_price: close.prices ?? 0,
      product_count: close.n,
      units_sold: flow.sold ?? 0,
      units_received: flow.received ?? 0,
      event_count: flow.count,
      demand_7d: week.sold ?? 0,
      moving_avg_stock_value: round(last.reduce((a, b) => a + b, 0) / last.length, 4),
      updated_at: 0,
    };
    const { updated_at: _, ...shown } = windowPayload(row, categoryValue.get({ category, end })!.value ?? 0);
    return shown;
  });
  const key = (w: (typeof out)[number]) => [w.window_start, w.store_location, w.category];
  const cmp = (a: string[], b: string[]) => a.findIndex((x, i) => x !== b[i]);
  return out.sort((a, b) => {
    const i = cmp(key(a), key(b));
    return i < 0 ? 0 : key(a)[i]! < key(b)[i]! ? -1 : 1;
  });
}
