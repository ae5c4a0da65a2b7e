import type { Migration } from '@stockpulse/service-kit';

/**
 * Times are epoch milliseconds (UTC) so windows compare as integers. `snapshots` holds every event (its
 * quantity is NULL for a sales-only event) with the demand and receipts attributed to it; everything else
 * is derived from it and can be rebuilt.
 */
export const migrations: Migration[] = [
  {
    id: 1,
    name: 'snapshots, stock, demand, windows',
    up: `
      CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL,
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        category TEXT NOT NULL,
        event_timestamp INTEGER NOT NULL,
        quantity INTEGER,
        price REAL NOT NULL,
        units_sold INTEGER,
        units_received INTEGER,
        demand INTEGER NOT NULL,
        receipts INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        processed_at INTEGER NOT NULL
      );
      -- also what makes an event id unique per series (no index on random event ids: a page write each)
      CREATE UNIQUE INDEX snapshots_by_series ON snapshots (store_location, product_id, event_timestamp, event_id);
      -- covering: a window's flows (and 7-day demand) are read from the index alone
      CREATE INDEX snapshots_by_group ON snapshots (store_location, category, event_timestamp, demand, receipts);

      CREATE TABLE products (
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        category TEXT NOT NULL,
        description TEXT,
        PRIMARY KEY (store_location, product_id)
      ) WITHOUT ROWID;
      CREATE INDEX products_by_group ON products (store_location, category);
      CREATE INDEX products_by_category ON products (category);
      CREATE TABLE stock (
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        category TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        price REAL NOT NULL,
        event_id TEXT NOT NULL,
        event_timestamp INTEGER NOT NULL,
        PRIMARY KEY (store_location, product_id)
      ) WITHOUT ROWID;
      -- keyed by date first: a new day's rows append at the end of the table instead of all over it
      CREATE TABLE daily_demand (
        date TEXT NOT NULL,
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        category TEXT NOT NULL,
        units_sold INTEGER NOT NULL,
        units_received INTEGER NOT NULL,
        closing_quantity INTEGER,
        closing_price REAL,
        closing_at INTEGER,
        closing_event_id TEXT,
        PRIMARY KEY (date, store_location, product_id)
      ) WITHOUT ROWID;
      CREATE TABLE windows (
        store_location TEXT NOT NULL,
        category TEXT NOT NULL,
        window TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        window_end INTEGER NOT NULL,
        opening_quantity INTEGER NOT NULL,
        total_quantity INTEGER NOT NULL,
        total_stock_value REAL NOT NULL,
        avg_price REAL,
        product_count INTEGER NOT NULL,
        units_sold INTEGER NOT NULL,
        units_received INTEGER NOT NULL,
        event_count INTEGER NOT NULL,
        demand_7d INTEGER NOT NULL,
        moving_avg_stock_value REAL NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (store_location, category, window, window_start)
      ) WITHOUT ROWID;
      CREATE INDEX windows_by_end ON windows (store_location, category, window_end);
      CREATE INDEX windows_by_time ON windows (window, window_start);
      CREATE INDEX windows_by_moment ON windows (category, window, window_start);
      CREATE INDEX windows_by_category_end ON windows (category, window_end);
      CREATE TABLE category_windows (
        category TEXT NOT NULL,
        window TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        stock_value REAL NOT NULL,
        PRIMARY KEY (category, window, window_start)
      ) WITHOUT ROWID;
      CREATE TABLE dirty_windows (
        store_location TEXT NOT NULL,
        category TEXT NOT NULL,
        window TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        PRIMARY KEY (store_location, category, window, window_start)
      ) WITHOUT ROWID;
      CREATE INDEX dirty_windows_by_time ON dirty_windows (window_start);
      CREATE INDEX dirty_windows_by_category ON dirty_windows (category, window, window_start);
      CREATE TABLE dirty_demand (
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        date TEXT NOT NULL,
        PRIMARY KEY (store_location, product_id, date)
      ) WITHOUT ROWID;`,
  },
  {
    id: 2,
    name: 'windows kept incrementally',
    // Σ price makes a window's average price an update, not a query (the average is derived from it when shown); the indexes that served recomputing
    // windows and marking later ones (by end, by category moment) serve nothing now, and cost every write
    up: `
      ALTER TABLE windows ADD COLUMN sum_price REAL NOT NULL DEFAULT 0;
      UPDATE windows SET sum_price = COALESCE(avg_price, 0) * product_count;
      ALTER TABLE windows DROP COLUMN avg_price;
      DROP INDEX windows_by_end;
      DROP INDEX windows_by_moment;
      DROP INDEX windows_by_category_end;
      DROP INDEX dirty_windows_by_category;`,
  },
  {
    id: 3,
    name: 'dirty days by day',
    // the flusher takes dirty days a store and day at a time, in time order: keyed so, that is a range of the
    // key, not a scan and sort of every dirty product-day (thousands during an import) per page
    up: `
      CREATE TABLE dirty_days (
        date TEXT NOT NULL,
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        PRIMARY KEY (date, store_location, product_id)
      ) WITHOUT ROWID;
      INSERT INTO dirty_days (date, store_location, product_id)
        SELECT date, store_location, product_id FROM dirty_demand;
      DROP TABLE dirty_demand;
      ALTER TABLE dirty_days RENAME TO dirty_demand;`,
  },
];
