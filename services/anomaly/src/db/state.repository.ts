import type { SqliteDatabase } from '@stockpulse/service-kit';
import type { CatalogueEntry } from '../domain/text/model.js';
import type { Baseline } from '../domain/rules.js';
import type { Features } from '../domain/iforest.js';
import type { ForecastBand } from '../domain/residuals.js';

/** How many recent prices and sales figures each series keeps for its medians. */
const RECENT = 30;

export interface SeriesState {
  baseline: Baseline | undefined;
  prices: number[];
  /** Recent (units sold, days since the report before) pairs: the usual rate of sale, whatever the interval. */
  sales: [number, number][];
  /** Whether each of its latest comparable stock reports reconciled (newest last; see rules' `trusted`). */
  reconciled: boolean[];
}

interface SeriesRow {
  last_timestamp: string | null;
  last_quantity: number | null;
  last_flagged: number;
  prices: string;
  sales: string;
  reconciled: string;
}

/** Series remembered between batches (the working set); beyond it the oldest half is dropped, not kept forever. */
const CACHED_SERIES = 200_000;

/**
 * What the detectors remember between events, per store × product, and the catalogue as seen. A series'
 * state is read from the store once and then kept in memory (up to CACHED_SERIES); what a batch changed is
 * written once per series and batch by `finish()`, inside the batch's transaction, so the store stays the
 * durable copy. `forget()` (the transaction failed) drops the memory: it reloads from the store.
 */
export function createStateRepository(db: SqliteDatabase) {
  const cache = new Map<string, SeriesState>();
  const changed = new Map<string, { store: string; product: string; category: string; s: SeriesState }>();
  const counts = new Map<string, number>();
  const getSeries = db.prepare<[string, string], SeriesRow>(
    'SELECT last_timestamp, last_quantity, last_flagged, prices, sales, reconciled FROM series WHERE store_location = ? AND product_id = ?',
  );
  const putSeries = db.prepare(
    `INSERT OR REPLACE INTO series (store_location, product_id, category, last_timestamp, last_quantity, last_flagged, prices, sales, reconciled)
     VALUES (@store, @product, @category, @timestamp, @quantity, @flagged, @prices, @sales, @reconciled)`,
  );
  const seeDescription = db.prepare<[string, string, string, string], { seen: number }>(
    `INSERT INTO descriptions (product_id, description, normalised, category, seen) VALUES (?, ?, ?, ?, 1)
     ON CONFLICT DO UPDATE SET seen = seen + 1 RETURNING seen`,
  );
  const sharing = db.prepare<[string, string], { product_id: string }>(
    'SELECT DISTINCT product_id FROM descriptions WHERE normalised = ? AND product_id != ?',
  );
  const catalogue = db.prepare<[], CatalogueEntry>(
    `SELECT product_id, description, category FROM (
       SELECT product_id, description, category, ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY seen DESC, description) AS rank
       FROM descriptions WHERE seen >= 2) WHERE rank = 1 ORDER BY product_id`,
  );
  const addDemand = db.prepare(
    `INSERT INTO daily_demand (store_location, product_id, date, units, last_event_id, last_timestamp)
     VALUES (@store, @product, @date, @units, @event_id, @timestamp)
     ON CONFLICT DO UPDATE SET units = units + excluded.units, last_event_id = excluded.last_event_id,
       last_timestamp = excluded.last_timestamp`,
  );
  const openDays = db.prepare<
    [string, string, string],
    { date: string; units: number; last_event_id: string; last_timestamp: string }
  >(
    // the open days only (a partial index), not every day of the series' history
    `SELECT date, units, last_event_id, last_timestamp FROM daily_demand INDEXED BY daily_demand_open
     WHERE store_location = ? AND product_id = ? AND date < ? AND checked = 0`,
  );
  const checkDay = db.prepare(
    'UPDATE daily_demand SET checked = 1 WHERE store_location = ? AND product_id = ? AND date = ?',
  );
  const band = db.prepare<[string, string, string], ForecastBand>(
    'SELECT value, lower_95, upper_95 FROM forecast_points WHERE store_location = ? AND product_id = ? AND date = ?',
  );
  const saveFeatures = db.prepare(
    `INSERT OR IGNORE INTO features (event_id, correlation_id, price_ratio, quantity_change, sales_surprise, score,
       store_location, product_id, event_timestamp)
     VALUES (@event_id, @correlation_id, @price_ratio, @quantity_change, @sales_surprise, @score,
       @store_location, @product_id, @event_timestamp)`,
  );
  const countEvents = db.prepare<[string, number]>(
    `INSERT INTO event_counts (correlation_id, events) VALUES (?, ?)
     ON CONFLICT DO UPDATE SET events = events + excluded.events`,
  );

  const load = (store: string, product: string): SeriesState => {
    const row = getSeries.get(store, product);
    return {
      baseline:
        row?.last_timestamp && row.last_quantity !== null
          ? { timestamp: row.last_timestamp, quantity: row.last_quantity, flagged: row.last_flagged === 1 }
          : undefined,
      prices: row ? (JSON.parse(row.prices) as number[]) : [],
      sales: row ? (JSON.parse(row.sales) as [number, number][]) : [],
      reconciled: row ? (JSON.parse(row.reconciled) as number[]).map(Boolean) : [],
    };
  };

  return {
    series(store: string, product: string): SeriesState {
      const key = `${store}\u0000${product}`;
      let s = cache.get(key);
      if (!s) {
        s = load(store, product);
        if (cache.size >= CACHED_SERIES) {
          let drop = CACHED_SERIES / 2;
          for (const k of cache.keys()) if (drop-- > 0 && !changed.has(k)) cache.delete(k);
        }
        cache.set(key, s);
      }
      return s;
    },
    /** Remembers a series' new state; written at the end of the batch. */
    saveSeries(store: string, product: string, category: string, s: SeriesState): void {
      if (s.prices.length > RECENT) s.prices.splice(0, s.prices.length - RECENT);
      if (s.sales.length > RECENT) s.sales.splice(0, s.sales.length - RECENT);
      changed.set(`${store}\u0000${product}`, { store, product, category, s });
    },
    /** Writes what the batch changed (call inside its transaction, after its last event). */
    finish(): void {
      for (const { store, product, category, s } of changed.values()) {
        putSeries.run({
          store,
          product,
          category,
          timestamp: s.baseline?.timestamp ?? null,
          quantity: s.baseline?.quantity ?? null,
          flagged: s.baseline?.flagged ? 1 : 0,
          prices: JSON.stringify(s.prices),
          sales: JSON.stringify(s.sales),
          reconciled: JSON.stringify(s.reconciled.map(Number)),
        });
      }
      for (const [correlationId, n] of counts) countEvents.run(correlationId, n);
      changed.clear();
      counts.clear();
    },
    /** Drops what is remembered (the batch's transaction failed: the store is the truth). */
    forget(): void {
      cache.clear();
      changed.clear();
      counts.clear();
    },
    /** Counts a (product, description) sighting; returns how many times it has been seen now. */
    seeDescription(product: string, description: string, normalised: string, category: string): number {
      return seeDescription.get(product, description, normalised, category)!.seen;
    },
    productsSharing: (normalised: string, product: string) =>
      sharing.all(normalised, product).map((r) => r.product_id),
    /** Each product's established description (its most frequent, seen at least twice). */
    catalogue: () => catalogue.all(),
    addDemand: (row: Record<string, unknown>) => void addDemand.run(row),
    /** Days of a series before `date` whose demand has not been compared with a forecast yet; marks them. */
    takeOpenDays(store: string, product: string, date: string) {
      const days = openDays.all(store, product, date);
      for (const d of days) checkDay.run(store, product, d.date);
      return days;
    },
    band: (store: string, product: string, date: string) => band.get(store, product, date),
    /** Stores an event's forest features and score; returns the row's number (null: already stored). */
    saveFeatures: (row: Features & ScoredEvent): number | null => {
      const { changes, lastInsertRowid } = saveFeatures.run(row);
      return changes ? Number(lastInsertRowid) : null;
    },
    countEvent: (correlationId: string) =>
      void counts.set(correlationId, (counts.get(correlationId) ?? 0) + 1),
    /** Keeps the newest `keep` feature rows (the forest's window and recent scoring); returns how many went. */
    pruneFeatures: (keep: number) =>
      db.prepare('DELETE FROM features WHERE id <= (SELECT MAX(id) FROM features) - ?').run(keep).changes,
    /** The `limit` feature rows up to row `upTo` (the newest first), for refitting the forest. */
    recentFeatures: (limit: number, upTo: number) =>
      db
        .prepare<[number, number], Features>(
          `SELECT price_ratio, quantity_change, sales_surprise FROM features WHERE id <= ?
           ORDER BY id DESC LIMIT ?`,
        )
        .all(upTo, limit),
    /** The number of the newest feature row (0: none). */
    lastFeatureRow: () => (db.prepare('SELECT MAX(id) FROM features').pluck().get() as number | null) ?? 0,
  };
}

export interface ScoredEvent {
  event_id: string;
  correlation_id: string | null;
  store_location: string;
  product_id: string;
  event_timestamp: string;
  score: number | null;
}

export type StateRepository = ReturnType<typeof createStateRepository>;
