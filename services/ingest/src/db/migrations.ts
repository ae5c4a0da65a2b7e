import type { Migration } from '@stockpulse/service-kit';

export const migrations: Migration[] = [
  {
    id: 1,
    name: 'events, anomaly labels',
    up: `
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        product_id TEXT NOT NULL,
        store_location TEXT NOT NULL,
        category TEXT NOT NULL,
        description TEXT,
        quantity INTEGER,
        units_sold INTEGER,
        units_received INTEGER,
        price REAL NOT NULL,
        event_timestamp TEXT NOT NULL,
        received_at TEXT NOT NULL,
        source TEXT NOT NULL,
        job_id TEXT
      );
      CREATE INDEX events_by_series ON events (store_location, product_id, event_timestamp);
      CREATE TABLE anomaly_labels (
        event_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        product_id TEXT NOT NULL,
        store_location TEXT NOT NULL,
        category TEXT NOT NULL,
        event_timestamp TEXT NOT NULL,
        detail TEXT NOT NULL,
        job_id TEXT,
        injected_at TEXT NOT NULL
      ) WITHOUT ROWID;`,
  },
];
