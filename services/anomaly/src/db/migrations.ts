import type { Migration } from '@stockpulse/service-kit';

/**
 * `series` is what the rules compare each event with (the last trusted stock report, recent prices), per
 * store × product; `descriptions` the catalogue as seen; `features` every event's isolation-forest features
 * and score; `anomalies` what was found, one row per cause. Times are ISO strings.
 */
export const migrations: Migration[] = [
  {
    id: 1,
    name: 'series, catalogue, features, anomalies',
    up: `
      CREATE TABLE series (
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        category TEXT NOT NULL,
        last_timestamp TEXT,
        last_quantity INTEGER,
        last_flagged INTEGER NOT NULL DEFAULT 0,
        prices TEXT NOT NULL DEFAULT '[]',
        sales TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (store_location, product_id)
      ) WITHOUT ROWID;
      CREATE TABLE descriptions (
        product_id TEXT NOT NULL,
        description TEXT NOT NULL,
        normalised TEXT NOT NULL,
        category TEXT NOT NULL,
        seen INTEGER NOT NULL,
        PRIMARY KEY (product_id, description)
      ) WITHOUT ROWID;
      CREATE INDEX descriptions_by_text ON descriptions (normalised);
      CREATE TABLE daily_demand (
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        date TEXT NOT NULL,
        units INTEGER NOT NULL,
        last_event_id TEXT NOT NULL,
        last_timestamp TEXT NOT NULL,
        checked INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (store_location, product_id, date)
      ) WITHOUT ROWID;
      CREATE TABLE forecast_points (
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        date TEXT NOT NULL,
        value REAL NOT NULL,
        lower_95 REAL NOT NULL,
        upper_95 REAL NOT NULL,
        PRIMARY KEY (store_location, product_id, date)
      ) WITHOUT ROWID;
      CREATE TABLE features (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        correlation_id TEXT,
        price_ratio REAL NOT NULL,
        quantity_change REAL NOT NULL,
        sales_surprise REAL NOT NULL,
        score REAL
      );
      CREATE INDEX features_by_correlation ON features (correlation_id);
      CREATE TABLE event_counts (
        correlation_id TEXT PRIMARY KEY,
        events INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE anomalies (
        id TEXT PRIMARY KEY,
        cause TEXT NOT NULL UNIQUE,
        detector TEXT NOT NULL,
        type TEXT NOT NULL,
        severity TEXT NOT NULL,
        score REAL NOT NULL,
        explanation TEXT NOT NULL,
        event_id TEXT,
        correlation_id TEXT,
        product_id TEXT NOT NULL,
        store_location TEXT NOT NULL,
        category TEXT NOT NULL,
        event_timestamp TEXT NOT NULL,
        detected_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX anomalies_by_time ON anomalies (event_timestamp);
      CREATE INDEX anomalies_by_event ON anomalies (event_id);
      CREATE INDEX anomalies_by_correlation ON anomalies (correlation_id);`,
  },
  {
    id: 2,
    name: 'open days by series',
    // each event asks for its series' days not yet compared with their forecast: by the primary key alone
    // that walks every day of the series' history; this index holds only the open ones (a day or two each)
    up: `CREATE INDEX daily_demand_open ON daily_demand (store_location, product_id, date) WHERE checked = 0;`,
  },
];
