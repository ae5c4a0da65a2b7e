import type { Migration } from '@stockpulse/service-kit';

/**
 * `notifications` holds each notification's current state, at most one not resolved per cause; `changes`
 * every change to one (its id is the live stream's event id); `anomalies` and `forecasts` what the
 * explanations draw on; `webhooks`, `deliveries` and `attempts` the outgoing webhooks and their log;
 * `conditions` each product's stock condition while it holds (pending until it has held long enough, then
 * fired: a member of its store's digest); `mutes` the windows in which webhooks stay quiet.
 */
export const migrations: Migration[] = [
  {
    id: 1,
    name: 'notifications, changes, sources, webhooks',
    up: `
      CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        cause TEXT NOT NULL,
        type TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        title TEXT NOT NULL,
        message TEXT NOT NULL,
        product_id TEXT,
        products TEXT NOT NULL DEFAULT '[]',
        store_location TEXT NOT NULL,
        category TEXT,
        count INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        anomaly_ids TEXT NOT NULL DEFAULT '[]',
        forecast_series TEXT,
        snoozed_until TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX one_live_per_cause ON notifications (cause) WHERE status != 'resolved';
      CREATE INDEX notifications_by_time ON notifications (last_seen);
      CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        notification_id TEXT NOT NULL,
        change TEXT NOT NULL,
        status TEXT NOT NULL,
        actor TEXT,
        note TEXT,
        at TEXT NOT NULL,
        state TEXT NOT NULL
      );
      CREATE INDEX changes_by_notification ON changes (notification_id, id);
      CREATE TABLE anomalies (
        id TEXT PRIMARY KEY,
        notification_id TEXT NOT NULL,
        type TEXT NOT NULL,
        severity TEXT NOT NULL,
        explanation TEXT NOT NULL,
        product_id TEXT NOT NULL,
        store_location TEXT NOT NULL,
        event_timestamp TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX anomalies_by_series ON anomalies (store_location, product_id, event_timestamp);
      CREATE TABLE forecasts (
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        PRIMARY KEY (store_location, product_id)
      ) WITHOUT ROWID;
      CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        min_severity TEXT NOT NULL,
        created_at TEXT NOT NULL,
        configured INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        webhook_id TEXT NOT NULL,
        change_id INTEGER NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        delivery_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        at TEXT NOT NULL,
        status_code INTEGER,
        error TEXT,
        duration_ms INTEGER NOT NULL
      );
      CREATE INDEX attempts_by_delivery ON attempts (delivery_id, attempt);`,
  },
  {
    id: 2,
    name: 'stock conditions (pending, digests), webhook routing, mutes',
    up: `
      CREATE TABLE conditions (
        cause TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        store_location TEXT NOT NULL,
        product_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        first_at TEXT NOT NULL,
        last_at TEXT NOT NULL,
        observations INTEGER NOT NULL,
        fired INTEGER NOT NULL DEFAULT 0,
        signal TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX conditions_fired ON conditions (store_location, type) WHERE fired = 1;
      ALTER TABLE webhooks ADD COLUMN stores TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE webhooks ADD COLUMN types TEXT NOT NULL DEFAULT '[]';
      CREATE TABLE mutes (
        id TEXT PRIMARY KEY,
        store_location TEXT,
        type TEXT,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;`,
  },
];
