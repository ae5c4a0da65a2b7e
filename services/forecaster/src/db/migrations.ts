import type { Migration } from '@stockpulse/service-kit';

export const migrations: Migration[] = [
  {
    id: 1,
    name: 'demand, series, forecasts, backtests',
    up: `
      -- units sold per product × store × UTC day, as the processor last reported it
      CREATE TABLE demand (
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        category TEXT NOT NULL,
        date TEXT NOT NULL,
        units_sold INTEGER NOT NULL,
        closing_quantity INTEGER,
        price REAL,
        PRIMARY KEY (store_location, product_id, date)
      ) WITHOUT ROWID;
      CREATE INDEX demand_by_category ON demand (store_location, category, date);
      -- a forecast series: a product at a store, or a category at a store (product_id NULL)
      CREATE TABLE series (
        series_id TEXT PRIMARY KEY,
        store_location TEXT NOT NULL,
        product_id TEXT,
        category TEXT NOT NULL,
        model TEXT,
        reason TEXT,
        horizon INTEGER NOT NULL,
        last_date TEXT,
        advice TEXT,
        trained_at TEXT,
        version INTEGER NOT NULL DEFAULT 0,
        trained_version INTEGER NOT NULL DEFAULT -1
      ) WITHOUT ROWID;
      CREATE INDEX series_to_train ON series (trained_version, version);
      CREATE TABLE points (
        series_id TEXT NOT NULL,
        model TEXT NOT NULL,
        date TEXT NOT NULL,
        value REAL NOT NULL,
        lower_80 REAL NOT NULL,
        upper_80 REAL NOT NULL,
        lower_95 REAL NOT NULL,
        upper_95 REAL NOT NULL,
        actual REAL,
        generated_at TEXT NOT NULL,
        PRIMARY KEY (series_id, model, date)
      ) WITHOUT ROWID;
      CREATE INDEX points_by_date ON points (date);
      CREATE TABLE backtests (
        series_id TEXT NOT NULL,
        model TEXT NOT NULL,
        mase REAL,
        wape REAL,
        bias REAL,
        rmse REAL,
        smape REAL,
        coverage_80 REAL,
        coverage_95 REAL,
        windows INTEGER,
        window_days INTEGER,
        error TEXT,
        trained_at TEXT NOT NULL,
        PRIMARY KEY (series_id, model)
      ) WITHOUT ROWID;`,
  },
];
