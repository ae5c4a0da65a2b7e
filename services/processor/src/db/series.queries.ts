import { prepare, type SqliteDatabase } from '@stockpulse/service-kit';
import { attribute, type Attributed } from '../domain/demand.js';

export interface Neighbour {
  id: number;
  event_id: string;
  event_timestamp: number;
  quantity: number | null;
  units_sold: number | null;
  units_received: number | null;
  price: number;
  category: string;
  demand: number;
  receipts: number;
}

type Position = Pick<Neighbour, 'event_timestamp' | 'event_id'>;

/** An upsert's new closing report is later than the stored one (SET expressions see the old values). */
const LATER = `excluded.closing_at IS NOT NULL AND (closing_at IS NULL OR excluded.closing_at > closing_at
  OR (excluded.closing_at = closing_at AND excluded.closing_event_id > closing_event_id))`;

/** The statements the state repository runs, prepared once. Positions order by (timestamp, event id). */
export function createSeriesQueries(db: SqliteDatabase) {
  const cols =
    'id, event_id, event_timestamp, quantity, units_sold, units_received, price, category, demand, receipts';
  const between = prepare<[string, string, number, number, string, number, number, string], Attributed>(
    db,
    `SELECT COALESCE(SUM(demand), 0) AS demand, COALESCE(SUM(receipts), 0) AS receipts FROM snapshots
     WHERE store_location = ? AND product_id = ? AND quantity IS NULL
       AND (event_timestamp > ? OR (event_timestamp = ? AND event_id > ?))
       AND (event_timestamp < ? OR (event_timestamp = ? AND event_id < ?))`,
  );
  const q = {
    insert: prepare<[Record<string, unknown>]>(
      db,
      // a repeated event id is skipped; any other constraint failing throws (OR IGNORE would hide it)
      `INSERT INTO snapshots (event_id, store_location, product_id, category, event_timestamp, quantity,
         price, units_sold, units_received, demand, receipts, received_at, processed_at)
       VALUES (@event_id, @store_location, @product_id, @category, @ts, @quantity, @price, @units_sold,
         @units_received, @demand, @receipts, @received_at, @processed_at)
       ON CONFLICT DO NOTHING`,
    ),
    lastReport: prepare<[string, string], Position>(
      db,
      `SELECT event_timestamp, event_id FROM snapshots WHERE store_location = ? AND product_id = ?
       ORDER BY event_timestamp DESC, event_id DESC LIMIT 1`,
    ),
    /** The latest stock report strictly before a position. */
    previousReport: prepare<[string, string, number, number, string], Neighbour>(
      db,
      `SELECT ${cols} FROM snapshots WHERE store_location = ? AND product_id = ? AND quantity IS NOT NULL
         AND (event_timestamp < ? OR (event_timestamp = ? AND event_id < ?))
       ORDER BY event_timestamp DESC, event_id DESC LIMIT 1`,
    ),
    nextReport: prepare<[string, string, number, number, string], Neighbour>(
      db,
      `SELECT ${cols} FROM snapshots WHERE store_location = ? AND product_id = ? AND quantity IS NOT NULL
         AND (event_timestamp > ? OR (event_timestamp = ? AND event_id > ?))
       ORDER BY event_timestamp, event_id LIMIT 1`,
    ),
    setAttributed: prepare<[number, number, number]>(
      db,
      'UPDATE snapshots SET demand = ?, receipts = ? WHERE id = ?',
    ),
    upsertProduct: prepare<[Record<string, unknown>]>(
      db,
      `INSERT INTO products (store_location, product_id, category, description)
       VALUES (@store_location, @product_id, @category, @description)
       ON CONFLICT DO UPDATE SET category = excluded.category, description = COALESCE(excluded.description, description)`,
    ),
    upsertStock: prepare<[Record<string, unknown>]>(
      db,
      `INSERT INTO stock (store_location, product_id, category, quantity, price, event_id, event_timestamp)
       VALUES (@store_location, @product_id, @category, @quantity, @price, @event_id, @ts)
       ON CONFLICT DO UPDATE SET category = excluded.category, quantity = excluded.quantity, price = excluded.price,
         event_id = excluded.event_id, event_timestamp = excluded.event_timestamp`,
    ),
    /** Adds to a product's day; the day's closing stock is its latest stock report (by time, then event id). */
    addDemand: prepare<[Record<string, unknown>]>(
      db,
      `INSERT INTO daily_demand (date, store_location, product_id, category, units_sold, units_received,
         closing_quantity, closing_price, closing_at, closing_event_id)
       VALUES (@date, @store, @product, @category, @demand, @receipts, @quantity, @price, @at, @eventId)
       ON CONFLICT DO UPDATE SET units_sold = units_sold + excluded.units_sold,
         units_received = units_received + excluded.units_received,
         closing_quantity = IIF(${LATER}, excluded.closing_quantity, closing_quantity),
         closing_price = IIF(${LATER}, excluded.closing_price, closing_price),
         closing_event_id = IIF(${LATER}, excluded.closing_event_id, closing_event_id),
         closing_at = IIF(${LATER}, excluded.closing_at, closing_at)`,
    ),
    markDemand: prepare<[string, string, string]>(
      db,
      'INSERT OR IGNORE INTO dirty_demand (store_location, product_id, date) VALUES (?, ?, ?)',
    ),
    salesBetween(store: string, product: string, from: Position, to: Position): Attributed {
      return between.get(
        store,
        product,
        from.event_timestamp,
        from.event_timestamp,
        from.event_id,
        to.event_timestamp,
        to.event_timestamp,
        to.event_id,
      )!;
    },
    /** Demand and receipts of a report from the reports before it in the store (`prev`: its stock report before). */
    attributeTo(
      row: Omit<Neighbour, 'price' | 'category'>,
      store: string,
      product: string,
      prev = q.previousReport.get(store, product, row.event_timestamp, row.event_timestamp, row.event_id) ??
        null,
    ): Attributed {
      const sales = prev ? q.salesBetween(store, product, prev, row) : { demand: 0, receipts: 0 };
      return attribute(row, prev && { quantity: prev.quantity! }, sales);
    },
  };
  return q;
}
