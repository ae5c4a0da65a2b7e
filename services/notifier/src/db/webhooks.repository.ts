import type { SqliteDatabase } from '@stockpulse/service-kit';
import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { SEVERITY_RANK, type Severity } from '../domain/signals.js';

export interface Webhook {
  id: string;
  url: string;
  secret: string;
  min_severity: Severity;
  /** Routing: the stores and the notification types this webhook wants (none listed: every one). */
  stores: string[];
  types: string[];
  created_at: string;
  configured: number;
}

type Stored = Omit<Webhook, 'stores' | 'types'> & { stores: string; types: string };
const parse = (r: Stored): Webhook => ({
  ...r,
  stores: JSON.parse(r.stores) as string[],
  types: JSON.parse(r.types) as string[],
});
const wants = (hook: Webhook, n: { severity: Severity; store_location: string; type: string }) =>
  SEVERITY_RANK[n.severity] >= SEVERITY_RANK[hook.min_severity] &&
  (!hook.stores.length || hook.stores.includes(n.store_location)) &&
  (!hook.types.length || hook.types.includes(n.type));

export interface Delivery {
  id: string;
  webhook_id: string;
  change_id: number;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
}

/** Webhooks (configured by environment or registered), their deliveries, and every attempt. */
export function createWebhooksRepository(db: SqliteDatabase) {
  const everyOne = db.prepare<[], Stored>('SELECT * FROM webhooks ORDER BY created_at, id');
  const all = () => everyOne.all().map(parse);
  const one = db.prepare<[string], Stored>('SELECT * FROM webhooks WHERE id = ?');
  const get = (id: string): Webhook | undefined => {
    const row = one.get(id);
    return row && parse(row);
  };
  const insertDelivery = db.prepare(
    `INSERT INTO deliveries (id, webhook_id, change_id, body, status, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`,
  );

  return {
    list: all,
    get,
    add(
      url: string,
      rules: Pick<Webhook, 'min_severity'> & Partial<Pick<Webhook, 'stores' | 'types'>>,
      secret = randomBytes(24).toString('base64url'),
      id = `wh-${uuidv7()}`,
    ): Webhook {
      const hook: Webhook = {
        id,
        url,
        secret,
        min_severity: rules.min_severity,
        stores: rules.stores ?? [],
        types: rules.types ?? [],
        created_at: new Date().toISOString(),
        configured: 0,
      };
      db.prepare(
        `INSERT INTO webhooks (id, url, secret, min_severity, stores, types, created_at, configured)
         VALUES (@id, @url, @secret, @min_severity, @stores, @types, @created_at, @configured)`,
      ).run({ ...hook, stores: JSON.stringify(hook.stores), types: JSON.stringify(hook.types) });
      return hook;
    },
    /** Changes a registered webhook's rules; undefined for an unknown id. */
    route(
      id: string,
      rules: Partial<Pick<Webhook, 'min_severity' | 'stores' | 'types'>>,
    ): Webhook | undefined {
      const hook = get(id);
      if (!hook) return undefined;
      const next = { ...hook, ...rules };
      db.prepare('UPDATE webhooks SET min_severity = ?, stores = ?, types = ? WHERE id = ?').run(
        next.min_severity,
        JSON.stringify(next.stores),
        JSON.stringify(next.types),
        id,
      );
      return next;
    },
    remove: (id: string) =>
      db.prepare('DELETE FROM webhooks WHERE id = ? AND configured = 0').run(id).changes > 0,
    /** Makes the configured webhooks exactly the given URLs (ids stable per URL). */
    configure(urls: string[], secret: string): void {
      db.transaction(() => {
        db.prepare('DELETE FROM webhooks WHERE configured = 1').run();
        for (const url of urls) {
          const id = `wh-env-${createHash('sha256').update(url).digest('hex').slice(0, 16)}`;
          db.prepare(
            `INSERT INTO webhooks (id, url, secret, min_severity, created_at, configured) VALUES (?, ?, ?, 'info', ?, 1)`,
          ).run(id, url, secret, new Date().toISOString());
        }
      })();
    },
    /**
     * Queues one delivery of `body` per webhook that wants this notification (its severity, store and type).
     * Call inside the change's transaction.
     */
    enqueue(
      changeId: number,
      n: { severity: Severity; store_location: string; type: string },
      body: (deliveryId: string, webhookId: string) => string,
    ): void {
      const now = new Date().toISOString();
      for (const hook of all()) {
        if (!wants(hook, n)) continue;
        const id = `dl-${uuidv7()}`;
        insertDelivery.run(id, hook.id, changeId, body(id, hook.id), Date.now(), now, now);
      }
    },
    due: (now: number, limit: number) =>
      db
        .prepare<[number, number], Delivery & { url: string; secret: string }>(
          `SELECT d.*, w.url, w.secret FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id
           WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?`,
        )
        .all(now, limit),
    /** Logs an attempt and moves the delivery on: delivered, retried at `retryAt`, or failed for good. */
    attempted(
      d: Delivery,
      result: { status_code: number | null; error: string | null; duration_ms: number },
      outcome: { status: Delivery['status']; retryAt?: number },
    ): void {
      db.transaction(() => {
        db.prepare(
          'INSERT INTO attempts (delivery_id, attempt, at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(
          d.id,
          d.attempts + 1,
          new Date().toISOString(),
          result.status_code,
          result.error,
          result.duration_ms,
        );
        db.prepare(
          'UPDATE deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, updated_at = ? WHERE id = ?',
        ).run(outcome.status, outcome.retryAt ?? d.next_attempt_at, new Date().toISOString(), d.id);
      })();
    },
    deliveries(webhookId: string, limit: number) {
      const rows = db
        .prepare<[string, number], Omit<Delivery, 'body'> & { created_at: string; updated_at: string }>(
          `SELECT id, webhook_id, change_id, status, attempts, next_attempt_at, created_at, updated_at FROM deliveries
           WHERE webhook_id = ? ORDER BY created_at DESC LIMIT ?`,
        )
        .all(webhookId, limit);
      const attempts = db.prepare(
        'SELECT attempt, at, status_code, error, duration_ms FROM attempts WHERE delivery_id = ? ORDER BY attempt',
      );
      return rows.map((r) => ({
        ...r,
        next_attempt_at: new Date(r.next_attempt_at).toISOString(),
        attempts_log: attempts.all(r.id),
      }));
    },
  };
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
