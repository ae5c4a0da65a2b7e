import { message, type OutgoingMessage } from '@stockpulse/contracts';
import type { Outbox, SqliteDatabase } from '@stockpulse/service-kit';
import { avgPrice, daysOfCover, round, turnoverRate } from '../domain/windows.js';
import type { StoredWindow } from './window-store.js';

const PAGE = 500;
/**
 * Store-days per flush of daily demand: all that a flush round has, in practice (one round a second while
 * catching up), so the forecaster gets a run of days at once and trains each series once, not on a part of
 * its history and again on the rest.
 */
const DAYS_PAGE = 20_000;

interface DemandRow {
  store_location: string;
  date: string;
  product_id: string;
  category: string;
  units_sold: number;
  units_received: number;
  closing_quantity: number | null;
  closing_price: number | null;
}

/**
 * Publishes what the batches changed: one message per window marked dirty (its figures as stored, with its
 * category's value across stores at that moment) and one per store and day of demand, however many events
 * changed them (coalesced). A page at a time, each in its own short transaction, so reads are never kept
 * waiting behind a long flush; a crash between pages leaves the rest marked and published next time.
 */
export function createFlusher(db: SqliteDatabase, outbox: Outbox) {
  const nextDirty = db.prepare<[number], StoredWindow & { category_value: number | null }>(
    `SELECT w.*, c.stock_value AS category_value FROM dirty_windows x
       JOIN windows w ON w.store_location = x.store_location AND w.category = x.category AND w.window = x.window
         AND w.window_start = x.window_start
       LEFT JOIN category_windows c ON c.category = w.category AND c.window = w.window AND c.window_start = w.window_start
     ORDER BY x.window_start LIMIT ?`,
  );
  const clean = db.prepare<[string, string, string, number]>(
    'DELETE FROM dirty_windows WHERE store_location = ? AND category = ? AND window = ? AND window_start = ?',
  );
  const nextDays = db.prepare<[number], { store_location: string; date: string }>(
    'SELECT DISTINCT store_location, date FROM dirty_demand ORDER BY date, store_location LIMIT ?',
  );
  const dayRows = db.prepare<[string, string], DemandRow>(
    `SELECT d.store_location, d.date, d.product_id, d.category, d.units_sold, d.units_received, d.closing_quantity,
       d.closing_price FROM dirty_demand x JOIN daily_demand d
         ON d.date = x.date AND d.store_location = x.store_location AND d.product_id = x.product_id
     WHERE x.store_location = ? AND x.date = ? ORDER BY d.product_id`,
  );
  const cleanDay = db.prepare<[string, string]>(
    'DELETE FROM dirty_demand WHERE store_location = ? AND date = ?',
  );

  const windowPage = db.transaction((): number => {
    const now = new Date().toISOString();
    const rows = nextDirty.all(PAGE);
    for (const row of rows) clean.run(row.store_location, row.category, row.window, row.window_start);
    const payload = (r: (typeof rows)[number]) => windowPayload(r, r.category_value, now);
    outbox.enqueue(
      rows.map((r) => message('stockpulse.inventory-metrics', payload(r), { producer: 'processor' })),
    );
    return rows.length;
  });
  // one message per store and day, with every product of it that changed
  const dayPage = db.transaction((): number => {
    const now = new Date().toISOString();
    const days = nextDays.all(DAYS_PAGE);
    const messages: OutgoingMessage[] = days.map(({ store_location, date }) => {
      const products = dayRows.all(store_location, date).map((r) => ({
        product_id: r.product_id,
        category: r.category,
        units_sold: r.units_sold,
        units_received: r.units_received,
        ...(r.closing_quantity !== null
          ? { closing_quantity: r.closing_quantity, price: r.closing_price! }
          : {}),
      }));
      cleanDay.run(store_location, date);
      return message(
        'stockpulse.inventory-metrics',
        { kind: 'daily_demand', store_location, date, products, updated_at: now },
        { producer: 'processor' },
      );
    });
    outbox.enqueue(messages);
    return days.length;
  });

  return {
    /** One page of windows, then one of days; true when more is left. */
    flushPage(): boolean {
      const windows = windowPage.immediate();
      const days = dayPage.immediate();
      return windows === PAGE || days === DAYS_PAGE;
    },
  };
}

/** A window as the API and the metrics topic show it: stored figures plus those derived from them. */
export function windowPayload(row: StoredWindow, categoryValue: number | null, updatedAt?: string) {
  return {
    kind: 'window' as const,
    store_location: row.store_location,
    category: row.category,
    window: row.window,
    window_start: new Date(row.window_start).toISOString(),
    total_quantity: row.total_quantity,
    total_stock_value: round(row.total_stock_value, 4),
    avg_price: avgPrice(row.sum_price, row.product_count),
    units_sold: row.units_sold,
    units_received: row.units_received,
    event_count: row.event_count,
    stock_value_by_category: round(categoryValue ?? row.total_stock_value, 4),
    moving_avg_stock_value: row.moving_avg_stock_value,
    turnover_rate: turnoverRate(row.units_sold, row.opening_quantity, row.total_quantity),
    days_of_cover: daysOfCover(row.total_quantity, row.demand_7d),
    opening_quantity: row.opening_quantity,
    product_count: row.product_count,
    updated_at: updatedAt ?? new Date(row.updated_at).toISOString(),
  };
}
