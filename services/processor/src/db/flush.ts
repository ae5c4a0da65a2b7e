import { message, type OutgoingMessage } from '@stockpulse/contracts';
import type { Outbox, SqliteDatabase } from '@stockpulse/service-kit';
import { daysOfCover, turnoverRate, type WindowKind } from '../domain/windows.js';
import type { WindowKey, WindowRow, WindowsRepository } from './windows.repository.js';

const PAGE = 500;

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
 * Turns what the handlers marked dirty into fresh metrics and messages, in one transaction: each dirty
 * window is recomputed (windows later in time whose moving average includes it follow), each touched
 * category × window is re-summed over all stores, and one message per changed window and per changed day of
 * demand goes to the outbox. Many events in a window make one message (coalesced), not one each.
 */
export function createFlusher(db: SqliteDatabase, windows: WindowsRepository, outbox: Outbox) {
  const nextDirty = db.prepare<[number], WindowKey>(
    `SELECT store_location, category, window, window_start FROM dirty_windows ORDER BY window_start LIMIT ?`,
  );
  const clean = db.prepare<[string, string, string, number]>(
    'DELETE FROM dirty_windows WHERE store_location = ? AND category = ? AND window = ? AND window_start = ?',
  );
  const mark = db.prepare<[string, string, string, number]>(
    'INSERT OR IGNORE INTO dirty_windows (store_location, category, window, window_start) VALUES (?, ?, ?, ?)',
  );
  const sameMoment = db.prepare<[string, string, number], WindowRow>(
    'SELECT * FROM windows WHERE category = ? AND window = ? AND window_start = ?',
  );
  const dirtyDemand = db.prepare<[], DemandRow>(
    `SELECT d.store_location, d.date, d.product_id, d.category, d.units_sold, d.units_received, d.closing_quantity,
       d.closing_price FROM dirty_demand x JOIN daily_demand d
         ON d.date = x.date AND d.store_location = x.store_location AND d.product_id = x.product_id
     ORDER BY d.store_location, d.date, d.product_id`,
  );
  const cleanDemand = db.prepare('DELETE FROM dirty_demand');

  const flush = db.transaction((): number => {
    const now = new Date().toISOString();
    const changed = new Map<string, WindowRow>();
    const categories = new Map<string, { category: string; window: WindowKind; start: number }>();
    for (let page = nextDirty.all(PAGE); page.length; page = nextDirty.all(PAGE)) {
      for (const key of page) {
        clean.run(key.store_location, key.category, key.window, key.window_start);
        const { row, valueChanged } = windows.recompute(key);
        changed.set(id(key), row);
        categories.set(`${key.category}|${key.window}|${key.window_start}`, {
          category: key.category,
          window: key.window,
          start: key.window_start,
        });
        if (valueChanged) {
          for (const f of windows.followers(key))
            mark.run(f.store_location, f.category, f.window, f.window_start);
        }
      }
    }
    for (const c of categories.values()) {
      if (!windows.recomputeCategory(c.category, c.window, c.start)) continue;
      // the category's total changed: the other stores' windows of that moment report it too
      for (const row of sameMoment.all(c.category, c.window, c.start)) {
        if (!changed.has(id(row))) changed.set(id(row), row);
      }
    }
    const messages: OutgoingMessage[] = [];
    for (const row of changed.values()) {
      messages.push(
        message(
          'stockpulse.inventory-metrics',
          windowPayload(row, windows.categoryValue(row.category, row.window, row.window_start), now),
          {
            producer: 'processor',
          },
        ),
      );
    }
    // one message per store and day, with every product of it that changed
    const byDay = new Map<string, DemandRow[]>();
    for (const row of dirtyDemand.all()) {
      const key = `${row.store_location}|${row.date}`;
      byDay.set(key, [...(byDay.get(key) ?? []), row]);
    }
    for (const rows of byDay.values()) {
      const { store_location, date } = rows[0]!;
      const products = rows.map((r) => ({
        product_id: r.product_id,
        category: r.category,
        units_sold: r.units_sold,
        units_received: r.units_received,
        ...(r.closing_quantity !== null
          ? { closing_quantity: r.closing_quantity, price: r.closing_price! }
          : {}),
      }));
      messages.push(
        message(
          'stockpulse.inventory-metrics',
          { kind: 'daily_demand', store_location, date, products, updated_at: now },
          { producer: 'processor' },
        ),
      );
    }
    cleanDemand.run();
    outbox.enqueue(messages);
    return messages.length;
  });

  return { flush: () => flush.immediate() };
}

const id = (k: WindowKey) => `${k.store_location}|${k.category}|${k.window}|${k.window_start}`;

/** A window as the API and the metrics topic show it: stored figures plus those derived from them. */
export function windowPayload(row: WindowRow, categoryValue: number | null, updatedAt?: string) {
  return {
    kind: 'window' as const,
    store_location: row.store_location,
    category: row.category,
    window: row.window,
    window_start: new Date(row.window_start).toISOString(),
    total_quantity: row.total_quantity,
    total_stock_value: row.total_stock_value,
    avg_price: row.avg_price ?? 0,
    units_sold: row.units_sold,
    units_received: row.units_received,
    event_count: row.event_count,
    stock_value_by_category: categoryValue ?? row.total_stock_value,
    moving_avg_stock_value: row.moving_avg_stock_value,
    turnover_rate: turnoverRate(row.units_sold, row.opening_quantity, row.total_quantity),
    days_of_cover: daysOfCover(row.total_quantity, row.demand_7d),
    opening_quantity: row.opening_quantity,
    product_count: row.product_count,
    updated_at: updatedAt ?? new Date(row.updated_at).toISOString(),
  };
}
