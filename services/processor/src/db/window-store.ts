import type { SqliteDatabase } from '@stockpulse/service-kit';
import { round, WINDOW_MS, type WindowKind } from '../domain/windows.js';

/** Earlier windows in a moving average (it spans this window and the 4 before it). */
export const MOVING = 4;

/** A window as stored: its figures unrounded (rounded when shown); Σ price, from which the average price is shown. */
export interface StoredWindow {
  store_location: string;
  category: string;
  window: WindowKind;
  window_start: number;
  window_end: number;
  opening_quantity: number;
  total_quantity: number;
  total_stock_value: number;
  sum_price: number;
  product_count: number;
  units_sold: number;
  units_received: number;
  event_count: number;
  demand_7d: number;
  moving_avg_stock_value: number;
  updated_at: number;
}

const FIGURES = [
  'opening_quantity',
  'total_quantity',
  'total_stock_value',
  'sum_price',
  'product_count',
  'units_sold',
  'units_received',
  'event_count',
  'demand_7d',
  'moving_avg_stock_value',
] as const;

/** The statements the window book runs, prepared once. */
export function createWindowStore(db: SqliteDatabase) {
  const group = 'store_location = ? AND category = ? AND window = ?';
  const range = db.prepare<[string, string, string, number, number], StoredWindow>(
    `SELECT * FROM windows WHERE ${group} AND window_start > ? AND window_start < ? ORDER BY window_start`,
  );
  const earlier = db.prepare<[string, string, string, number], StoredWindow>(
    `SELECT * FROM windows WHERE ${group} AND window_start < ? ORDER BY window_start DESC LIMIT ${MOVING}`,
  );
  const after = db.prepare<[string, string, string, number], StoredWindow>(
    `SELECT * FROM windows WHERE ${group} AND window_start >= ? ORDER BY window_start LIMIT ${MOVING}`,
  );
  const demand = db.prepare<[string, string, number, number], { sold: number | null }>(
    `SELECT SUM(demand) AS sold FROM snapshots
     WHERE store_location = ? AND category = ? AND event_timestamp >= ? AND event_timestamp < ?`,
  );
  const save = db.prepare(
    `INSERT OR REPLACE INTO windows (store_location, category, window, window_start, window_end, opening_quantity,
       total_quantity, total_stock_value, sum_price, product_count, units_sold, units_received,
       event_count, demand_7d, moving_avg_stock_value, updated_at)
     VALUES (@store_location, @category, @window, @window_start, @window_end, @opening_quantity, @total_quantity,
       @total_stock_value, @sum_price, @product_count, @units_sold, @units_received, @event_count,
       @demand_7d, @moving_avg_stock_value, @updated_at)`,
  );
  const markDirty = db.prepare<[string, string, string, number]>(
    'INSERT OR IGNORE INTO dirty_windows (store_location, category, window, window_start) VALUES (?, ?, ?, ?)',
  );
  const categoryRange = db.prepare<
    [string, string, number, number],
    { window_start: number; stock_value: number }
  >(
    `SELECT window_start, stock_value FROM category_windows WHERE category = ? AND window = ?
       AND window_start > ? AND window_start < ? ORDER BY window_start`,
  );
  const categoryBefore = db.prepare<[string, string, number], { stock_value: number }>(
    `SELECT stock_value FROM category_windows WHERE category = ? AND window = ? AND window_start < ?
     ORDER BY window_start DESC LIMIT 1`,
  );
  const saveCategory = db.prepare<[string, string, number, number]>(
    'INSERT OR REPLACE INTO category_windows (category, window, window_start, stock_value) VALUES (?, ?, ?, ?)',
  );

  return {
    /** Windows of a group ending after `from` and starting before `to`, in time order. */
    range: (store: string, category: string, kind: WindowKind, from: number, to: number) =>
      range.all(store, category, kind, from - WINDOW_MS[kind], Math.min(to, Number.MAX_SAFE_INTEGER)),
    /** Up to the 4 windows before `start`, latest first. */
    earlier: (store: string, category: string, kind: WindowKind, start: number) =>
      earlier.all(store, category, kind, Math.min(start, Number.MAX_SAFE_INTEGER)),
    /** Up to 4 windows from `start` on, whose moving averages reach back before it. */
    after: (store: string, category: string, kind: WindowKind, start: number) =>
      after.all(store, category, kind, start),
    empty: (store: string, category: string, kind: WindowKind, start: number): StoredWindow => ({
      store_location: store,
      category,
      window: kind,
      window_start: start,
      window_end: start + WINDOW_MS[kind],
      opening_quantity: 0,
      total_quantity: 0,
      total_stock_value: 0,
      sum_price: 0,
      product_count: 0,
      units_sold: 0,
      units_received: 0,
      event_count: 0,
      demand_7d: 0,
      moving_avg_stock_value: 0,
      updated_at: 0,
    }),
    demandBetween: (store: string, category: string, from: number, to: number) =>
      demand.get(store, category, from, to)?.sold ?? 0,
    /** The mean of the values as shown (rounded), rounded. */
    movingAverage: (values: number[]) =>
      round(values.reduce((a, v) => a + round(v, 4), 0) / values.length, 4),
    differs: (a: StoredWindow, b: StoredWindow) => FIGURES.some((f) => a[f] !== b[f]),
    /** Saves a window and marks it for publishing. */
    save(row: StoredWindow): void {
      row.updated_at = Date.now();
      save.run(row);
      markDirty.run(row.store_location, row.category, row.window, row.window_start);
    },
    /** Category moments ending after `from` and starting before `to`. */
    categoryRange: (category: string, kind: WindowKind, from: number, to: number) =>
      categoryRange.all(category, kind, from - WINDOW_MS[kind], Math.min(to, Number.MAX_SAFE_INTEGER)),
    categoryBefore: (category: string, kind: WindowKind, start: number) =>
      categoryBefore.get(category, kind, Math.min(start, Number.MAX_SAFE_INTEGER))?.stock_value ?? 0,
    saveCategory: (category: string, kind: WindowKind, start: number, value: number) =>
      void saveCategory.run(category, kind, start, value),
  };
}
