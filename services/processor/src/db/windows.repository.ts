import type { SqliteDatabase } from '@stockpulse/service-kit';
import { DEMAND_DAYS, MOVING_AVERAGE_WINDOWS, round, WINDOW_MS, type WindowKind } from '../domain/windows.js';

export interface WindowKey {
  store_location: string;
  category: string;
  window: WindowKind;
  window_start: number;
}

export interface WindowRow extends WindowKey {
  window_end: number;
  opening_quantity: number;
  total_quantity: number;
  total_stock_value: number;
  avg_price: number | null;
  product_count: number;
  units_sold: number;
  units_received: number;
  event_count: number;
  demand_7d: number;
  moving_avg_stock_value: number;
  updated_at: number;
}

/** The latest stock report of each product of a group before `end` (exclusive): a window's closing state. */
const LATEST_BEFORE = (end: string, where: string) => `
  FROM products pr JOIN snapshots s ON s.id = (
    SELECT y.id FROM snapshots y
    WHERE y.store_location = pr.store_location AND y.product_id = pr.product_id AND y.quantity IS NOT NULL
      AND y.event_timestamp < ${end}
    ORDER BY y.event_timestamp DESC, y.event_id DESC LIMIT 1)
  WHERE ${where}`;

/**
 * Recomputes window metrics from the snapshots. Every stored figure of a window is a function of the
 * snapshots alone, so recomputing a window marked dirty is always right, however late its events came.
 */
export function createWindowsRepository(db: SqliteDatabase) {
  const closing = db.prepare<
    { store: string; category: string; end: number },
    {
      n: number;
      qty: number | null;
      value: number | null;
      avg: number | null;
    }
  >(`SELECT COUNT(*) AS n, SUM(s.quantity) AS qty, SUM(s.quantity * s.price) AS value, AVG(s.price) AS avg
      ${LATEST_BEFORE('@end', 'pr.store_location = @store AND pr.category = @category')}`);
  const categoryValue = db.prepare<{ category: string; end: number }, { value: number | null }>(
    `SELECT SUM(s.quantity * s.price) AS value ${LATEST_BEFORE('@end', 'pr.category = @category')}`,
  );
  const flows = db.prepare<
    { store: string; category: string; from: number; to: number },
    {
      sold: number | null;
      received: number | null;
      count: number;
    }
  >(`SELECT SUM(demand) AS sold, SUM(receipts) AS received, COUNT(*) AS count FROM snapshots
      WHERE store_location = @store AND category = @category AND event_timestamp >= @from AND event_timestamp < @to`);
  const earlierValues = db.prepare<[string, string, string, number, number], { total_stock_value: number }>(
    `SELECT total_stock_value FROM windows WHERE store_location = ? AND category = ? AND window = ? AND window_start < ?
     ORDER BY window_start DESC LIMIT ?`,
  );
  const laterWindows = db.prepare<[string, string, string, number, number], { window_start: number }>(
    `SELECT window_start FROM windows WHERE store_location = ? AND category = ? AND window = ? AND window_start > ?
     ORDER BY window_start LIMIT ?`,
  );
  const current = db.prepare<[string, string, string, number], WindowRow>(
    'SELECT * FROM windows WHERE store_location = ? AND category = ? AND window = ? AND window_start = ?',
  );
  const save = db.prepare(
    `INSERT OR REPLACE INTO windows (store_location, category, window, window_start, window_end, opening_quantity,
       total_quantity, total_stock_value, avg_price, product_count, units_sold, units_received, event_count, demand_7d,
       moving_avg_stock_value, updated_at)
     VALUES (@store_location, @category, @window, @window_start, @window_end, @opening_quantity, @total_quantity,
       @total_stock_value, @avg_price, @product_count, @units_sold, @units_received, @event_count, @demand_7d,
       @moving_avg_stock_value, @updated_at)`,
  );
  const saveCategory = db.prepare(
    `INSERT OR REPLACE INTO category_windows (category, window, window_start, stock_value) VALUES (?, ?, ?, ?)`,
  );
  const getCategory = db.prepare<[string, string, number], { stock_value: number }>(
    'SELECT stock_value FROM category_windows WHERE category = ? AND window = ? AND window_start = ?',
  );

  return {
    /** Recomputes one window; returns it, and whether its stock value changed (later moving averages then change). */
    recompute(key: WindowKey): { row: WindowRow; valueChanged: boolean } {
      const { store_location: store, category, window, window_start: start } = key;
      const end = start + WINDOW_MS[window];
      const close = closing.get({ store, category, end })!;
      const open = closing.get({ store, category, end: start })!;
      const flow = flows.get({ store, category, from: start, to: end })!;
      const week = flows.get({ store, category, from: end - DEMAND_DAYS * WINDOW_MS.day, to: end })!;
      const value = round(close.value ?? 0, 4);
      const earlier = earlierValues.all(store, category, window, start, MOVING_AVERAGE_WINDOWS - 1);
      const values = [value, ...earlier.map((r) => r.total_stock_value)];
      const before = current.get(store, category, window, start);
      const row: WindowRow = {
        ...key,
        window_end: end,
        opening_quantity: open.qty ?? 0,
        total_quantity: close.qty ?? 0,
        total_stock_value: value,
        avg_price: close.avg === null ? null : round(close.avg, 4),
        product_count: close.n,
        units_sold: flow.sold ?? 0,
        units_received: flow.received ?? 0,
        event_count: flow.count,
        demand_7d: week.sold ?? 0,
        moving_avg_stock_value: round(values.reduce((a, b) => a + b, 0) / values.length, 4),
        updated_at: Date.now(),
      };
      save.run(row);
      return { row, valueChanged: before?.total_stock_value !== value };
    },

    /** The windows after `key` whose moving average includes it. */
    followers(key: WindowKey): WindowKey[] {
      return laterWindows
        .all(key.store_location, key.category, key.window, key.window_start, MOVING_AVERAGE_WINDOWS - 1)
        .map((r) => ({ ...key, window_start: r.window_start }));
    },

    /** Recomputes the stock value of a category over all stores at a window's end; true when it changed. */
    recomputeCategory(category: string, window: WindowKind, start: number): boolean {
      const value = round(categoryValue.get({ category, end: start + WINDOW_MS[window] })!.value ?? 0, 4);
      const before = getCategory.get(category, window, start)?.stock_value;
      saveCategory.run(category, window, start, value);
      return before !== value;
    },

    categoryValue: (category: string, window: WindowKind, start: number) =>
      getCategory.get(category, window, start)?.stock_value ?? null,
  };
}

export type WindowsRepository = ReturnType<typeof createWindowsRepository>;
