import type { NotificationPayload } from '@stockpulse/contracts';
import type { SqliteDatabase } from '@stockpulse/service-kit';
import type { Status } from '../domain/lifecycle.js';
import type { Severity } from '../domain/signals.js';

export interface NotificationRow {
  id: string;
  cause: string;
  type: string;
  severity: Severity;
  status: Status;
  title: string;
  message: string;
  product_id: string | null;
  products: string[];
  store_location: string;
  category: string | null;
  count: number;
  first_seen: string;
  last_seen: string;
  anomaly_ids: string[];
  forecast_series: string | null;
  snoozed_until: string | null;
  created_at: string;
  updated_at: string;
}

type Stored = Omit<NotificationRow, 'products' | 'anomaly_ids'> & { products: string; anomaly_ids: string };

const parse = (r: Stored | undefined): NotificationRow | undefined =>
  r && {
    ...r,
    products: JSON.parse(r.products) as string[],
    anomaly_ids: JSON.parse(r.anomaly_ids) as string[],
  };

/** The notification as it goes out on the topic, the stream and webhooks, after `change`. */
export function toPayload(n: NotificationRow, change: string): NotificationPayload & Record<string, unknown> {
  return {
    id: n.id,
    change,
    type: n.type,
    severity: n.severity,
    status: n.status,
    title: n.title,
    message: n.message,
    ...(n.product_id ? { product_id: n.product_id } : {}),
    ...(n.products.length > 1 || !n.product_id ? { products: n.products } : {}),
    store_location: n.store_location,
    ...(n.category ? { category: n.category } : {}),
    count: n.count,
    first_seen: n.first_seen,
    last_seen: n.last_seen,
    anomaly_ids: n.anomaly_ids,
    ...(n.forecast_series ? { forecast_series: n.forecast_series } : {}),
    ...(n.snoozed_until ? { snoozed_until: n.snoozed_until } : {}),
    created_at: n.created_at,
    updated_at: n.updated_at,
  };
}

export function createNotificationsRepository(db: SqliteDatabase) {
  const live = db.prepare<[string], Stored>(
    "SELECT * FROM notifications WHERE cause = ? AND status != 'resolved'",
  );
  const byId = db.prepare<[string], Stored>('SELECT * FROM notifications WHERE id = ?');
  const save = db.prepare(
    `INSERT OR REPLACE INTO notifications (id, cause, type, severity, status, title, message, product_id, products,
       store_location, category, count, first_seen, last_seen, anomaly_ids, forecast_series, snoozed_until,
       created_at, updated_at)
     VALUES (@id, @cause, @type, @severity, @status, @title, @message, @product_id, @products, @store_location,
       @category, @count, @first_seen, @last_seen, @anomaly_ids, @forecast_series, @snoozed_until, @created_at,
       @updated_at)`,
  );
  const addChange = db.prepare(
    'INSERT INTO changes (notification_id, change, status, actor, note, at, state) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const link = db.prepare(
    `INSERT OR IGNORE INTO anomalies (id, notification_id, type, severity, explanation, product_id, store_location,
       event_timestamp) VALUES (@id, @notification_id, @type, @severity, @explanation, @product_id, @store_location,
       @event_timestamp)`,
  );
  const snoozed = db.prepare<[string], Stored>(
    "SELECT * FROM notifications WHERE status = 'snoozed' AND snoozed_until <= ?",
  );

  return {
    live: (cause: string) => parse(live.get(cause)),
    get: (id: string) => parse(byId.get(id)),
    save(n: NotificationRow): void {
      save.run({ ...n, products: JSON.stringify(n.products), anomaly_ids: JSON.stringify(n.anomaly_ids) });
    },
    /** Records a change with the state after it; returns its id (the live stream's event id). */
    addChange(n: NotificationRow, change: string, actor: string | null, note: string | null): number {
      const state = JSON.stringify(toPayload(n, change));
      return Number(addChange.run(n.id, change, n.status, actor, note, n.updated_at, state).lastInsertRowid);
    },
    /** Remembers an anomaly for a notification; false when it was already there (the same anomaly again). */
    linkAnomaly: (row: Record<string, string>) => link.run(row).changes > 0,
    snoozeEnded: (now: string) => snoozed.all(now).map((r) => parse(r)!),
  };
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;
