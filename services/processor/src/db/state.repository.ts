import type { InventoryEventPayload } from '@stockpulse/contracts';
import type { SqliteDatabase } from '@stockpulse/service-kit';
import { attribute, type Attributed } from '../domain/demand.js';
import { DEMAND_DAYS, utcDate, WINDOW_KINDS, WINDOW_MS, windowStart } from '../domain/windows.js';

interface Neighbour {
  id: number;
  event_id: string;
  event_timestamp: number;
  quantity: number | null;
  units_sold: number | null;
  units_received: number | null;
  demand: number;
  receipts: number;
}

const FAR_FUTURE = Number.MAX_SAFE_INTEGER;

/**
 * Applies inventory events to the processor's state: the event itself (with the demand and receipts it
 * implies), the report after it when its derived demand changes, current stock, daily demand, and the
 * windows whose metrics the event changes, marked dirty for the next flush. Runs inside the caller's
 * transaction (with the inbox), so a crash leaves all of it or none.
 */
export function createStateRepository(db: SqliteDatabase) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO snapshots (event_id, store_location, product_id, category, event_timestamp, quantity, price,
       units_sold, units_received, demand, receipts, received_at, processed_at)
     VALUES (@event_id, @store_location, @product_id, @category, @ts, @quantity, @price, @units_sold, @units_received,
       0, 0, @received_at, @processed_at)`,
  );
  const cols = 'id, event_id, event_timestamp, quantity, units_sold, units_received, demand, receipts';
  const previousReport = db.prepare<[string, string, number, number, string], Neighbour>(
    `SELECT ${cols} FROM snapshots WHERE store_location = ? AND product_id = ? AND quantity IS NOT NULL
       AND (event_timestamp < ? OR (event_timestamp = ? AND event_id < ?))
     ORDER BY event_timestamp DESC, event_id DESC LIMIT 1`,
  );
  const nextReport = db.prepare<[string, string, number, number, string], Neighbour>(
    `SELECT ${cols} FROM snapshots WHERE store_location = ? AND product_id = ? AND quantity IS NOT NULL
       AND (event_timestamp > ? OR (event_timestamp = ? AND event_id > ?))
     ORDER BY event_timestamp, event_id LIMIT 1`,
  );
  /** Sales-only reports strictly between two positions (timestamp, event id). */
  const between = db.prepare<[string, string, number, number, string, number, number, string], Attributed>(
    `SELECT COALESCE(SUM(demand), 0) AS demand, COALESCE(SUM(receipts), 0) AS receipts FROM snapshots
     WHERE store_location = ? AND product_id = ? AND quantity IS NULL
       AND (event_timestamp > ? OR (event_timestamp = ? AND event_id > ?))
       AND (event_timestamp < ? OR (event_timestamp = ? AND event_id < ?))`,
  );
  const setAttributed = db.prepare<[number, number, number]>(
    'UPDATE snapshots SET demand = ?, receipts = ? WHERE id = ?',
  );
  const upsertProduct = db.prepare(
    `INSERT INTO products (store_location, product_id, category, description) VALUES (@store_location, @product_id, @category, @description)
     ON CONFLICT DO UPDATE SET category = excluded.category, description = COALESCE(excluded.description, description)`,
  );
  const upsertStock = db.prepare(
    `INSERT INTO stock (store_location, product_id, category, quantity, price, event_id, event_timestamp)
     VALUES (@store_location, @product_id, @category, @quantity, @price, @event_id, @ts)
     ON CONFLICT DO UPDATE SET category = excluded.category, quantity = excluded.quantity, price = excluded.price,
       event_id = excluded.event_id, event_timestamp = excluded.event_timestamp`,
  );
  const addDemand = db.prepare<[string, string, string, string, number, number]>(
    `INSERT INTO daily_demand (store_location, product_id, date, category, units_sold, units_received) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET units_sold = units_sold + excluded.units_sold, units_received = units_received + excluded.units_received`,
  );
  const markDemand = db.prepare<[string, string, string]>(
    'INSERT OR IGNORE INTO dirty_demand (store_location, product_id, date) VALUES (?, ?, ?)',
  );
  const markWindow = db.prepare<[string, string, string, number]>(
    'INSERT OR IGNORE INTO dirty_windows (store_location, category, window, window_start) VALUES (?, ?, ?, ?)',
  );
  /** Windows of a store × category whose end lies after `from` and that start no later than `to`. */
  const markRange = db.prepare<[number, number, string, string]>(
    `INSERT OR IGNORE INTO dirty_windows (store_location, category, window, window_start)
     SELECT store_location, category, window, window_start FROM windows
     WHERE window_end > ? AND window_start <= ? AND store_location = ? AND category = ?`,
  );

  function attributeTo(row: Neighbour, store: string, product: string): Attributed {
    const prev =
      previousReport.get(store, product, row.event_timestamp, row.event_timestamp, row.event_id) ?? null;
    const sales = prev
      ? between.get(
          store,
          product,
          prev.event_timestamp,
          prev.event_timestamp,
          prev.event_id,
          row.event_timestamp,
          row.event_timestamp,
          row.event_id,
        )!
      : { demand: 0, receipts: 0 };
    return attribute(row, prev && { quantity: prev.quantity! }, sales);
  }

  function addToDay(store: string, product: string, category: string, ms: number, delta: Attributed): void {
    const date = utcDate(ms);
    addDemand.run(store, product, date, category, delta.demand, delta.receipts);
    markDemand.run(store, product, date);
  }

  /** Applies one event; false when its event id was applied before (nothing changes). */
  function apply(e: InventoryEventPayload, receivedAt: number): boolean {
    const ts = Date.parse(e.event_timestamp);
    const row = {
      event_id: e.event_id,
      store_location: e.store_location,
      product_id: e.product_id,
      category: e.category,
      ts,
      quantity: e.quantity ?? null,
      price: e.price,
      units_sold: e.units_sold ?? null,
      units_received: e.units_received ?? null,
      received_at: receivedAt,
      processed_at: Date.now(),
    };
    const { lastInsertRowid, changes } = insert.run(row);
    if (changes === 0) return false;
    const self: Neighbour = {
      id: Number(lastInsertRowid),
      event_timestamp: ts,
      demand: 0,
      receipts: 0,
      ...row,
    };
    upsertProduct.run({ ...row, description: e.description ?? null });

    const mine = attributeTo(self, e.store_location, e.product_id);
    setAttributed.run(mine.demand, mine.receipts, self.id);
    addToDay(e.store_location, e.product_id, e.category, ts, mine);

    const next = nextReport.get(e.store_location, e.product_id, ts, ts, e.event_id);
    if (next && next.units_sold === null) {
      const theirs = attributeTo(next, e.store_location, e.product_id);
      if (theirs.demand !== next.demand || theirs.receipts !== next.receipts) {
        setAttributed.run(theirs.demand, theirs.receipts, next.id);
        const delta = { demand: theirs.demand - next.demand, receipts: theirs.receipts - next.receipts };
        addToDay(e.store_location, e.product_id, e.category, next.event_timestamp, delta);
      }
    }
    if (e.quantity !== undefined && !next) upsertStock.run(row);

    for (const kind of WINDOW_KINDS)
      markWindow.run(e.store_location, e.category, kind, windowStart(kind, ts));
    // later windows of the group change too: their closing stock (until the next report of this product)
    // and their 7-day demand (for a week)
    const until = next ? Math.max(next.event_timestamp, ts + DEMAND_DAYS * WINDOW_MS.day) : FAR_FUTURE;
    markRange.run(ts, until, e.store_location, e.category);
    return true;
  }

  return { apply };
}

export type StateRepository = ReturnType<typeof createStateRepository>;
