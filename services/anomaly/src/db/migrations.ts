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
  {
    id: 3,
    name: 'notes apart from anomalies, verdicts, stock trust, scored events by series',
    // a note (a weak detector alone, or a finding below a threshold a verdict raised) is kept for drill-down
    // but never listed, published or notified; the information-level anomalies of before become notes
    up: `
      CREATE TABLE notes (
        id TEXT PRIMARY KEY,
        cause TEXT NOT NULL UNIQUE,
        detector TEXT NOT NULL,
        type TEXT NOT NULL,
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
      CREATE INDEX notes_by_series ON notes (store_location, product_id, event_timestamp);
      CREATE INDEX notes_by_event ON notes (event_id);
      INSERT OR IGNORE INTO notes SELECT id, cause, detector, type, score, explanation, event_id, correlation_id,
        product_id, store_location, category, event_timestamp, detected_at FROM anomalies WHERE severity = 'info';
      DELETE FROM anomalies WHERE severity = 'info';
      ALTER TABLE anomalies ADD COLUMN verdict TEXT;
      ALTER TABLE anomalies ADD COLUMN verdict_reason TEXT;
      ALTER TABLE anomalies ADD COLUMN verdict_at TEXT;
      CREATE TABLE verdicts (
        id INTEGER PRIMARY KEY,
        anomaly_id TEXT NOT NULL,
        verdict TEXT NOT NULL,
        reason TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX verdicts_by_anomaly ON verdicts (anomaly_id, id);
      CREATE TABLE thresholds (
        detector TEXT NOT NULL,
        type TEXT NOT NULL,
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        min_score REAL NOT NULL,
        because TEXT NOT NULL,
        PRIMARY KEY (detector, type, store_location, product_id)
      ) WITHOUT ROWID;
      ALTER TABLE series ADD COLUMN reconciled TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE features ADD COLUMN store_location TEXT;
      ALTER TABLE features ADD COLUMN product_id TEXT;
      ALTER TABLE features ADD COLUMN event_timestamp TEXT;`,
  },
];
