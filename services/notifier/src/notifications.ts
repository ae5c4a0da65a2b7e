import { message } from '@stockpulse/contracts';
import type { Outbox, SqliteDatabase } from '@stockpulse/service-kit';
import { uuidv7 } from 'uuidv7';
import {
  createNotificationsRepository,
  toPayload,
  type NotificationRow,
} from './db/notifications.repository.js';
import type { MutesRepository } from './db/mutes.repository.js';
import type { WebhooksRepository } from './db/webhooks.repository.js';
import { transition, type Action } from './domain/lifecycle.js';
import { SEVERITY_RANK, type Signal } from './domain/signals.js';

/** Changes worth a webhook call; a repeat only updates the count and goes to the topic and the stream. */
const DELIVERED = new Set([
  'opened',
  'escalated',
  'acknowledged',
  'snoozed',
  'reopened',
  'resolved',
  'cleared',
]);
const MAX_ANOMALY_IDS = 100;

export type ActResult = { ok: ReturnType<typeof toPayload> } | { status: 404 | 409; message: string };

/**
 * Notifications and their lifecycle. Every change is one row in `changes` (the history and the live stream),
 * one message on `stockpulse.notifications` (outbox) and one queued delivery per interested webhook, all in
 * the caller's transaction.
 */
export class Notifications {
  readonly repo;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly outbox: Outbox,
    private readonly webhooks: WebhooksRepository,
    private readonly mutes: MutesRepository,
  ) {
    this.repo = createNotificationsRepository(db);
  }

  /** A new occurrence of a cause: opens a notification, or counts a repeat on the live one. */
  raise(signal: Signal, anomaly?: Record<string, string>): void {
    const now = new Date().toISOString();
    const live = this.repo.live(signal.cause);
    const id = live?.id ?? `nt-${uuidv7()}`;
    if (anomaly && !this.repo.linkAnomaly({ ...anomaly, notification_id: id })) return; // the same anomaly again
    if (!live) return this.record(opening(signal, id, now), 'opened', null, null);
    const escalated = SEVERITY_RANK[signal.severity] > SEVERITY_RANK[live.severity];
    const products =
      signal.product_id && !live.products.includes(signal.product_id)
        ? [...live.products, signal.product_id]
        : live.products;
    const n: NotificationRow = {
      ...live,
      severity: escalated ? signal.severity : live.severity,
      title: live.product_id ? signal.title : live.title,
      message: live.product_id
        ? signal.message
        : `Seen on ${products.length} product${products.length > 1 ? 's' : ''} (${products.join(', ')}). Latest: ${signal.message}`,
      products,
      count: live.count + 1,
      last_seen: signal.at > live.last_seen ? signal.at : live.last_seen,
      anomaly_ids: signal.anomaly_id
        ? [...live.anomaly_ids, signal.anomaly_id].slice(-MAX_ANOMALY_IDS)
        : live.anomaly_ids,
      updated_at: now,
    };
    this.record(n, escalated ? 'escalated' : 'repeated', null, null);
  }

  /**
   * A store's digest (`digestOf`) as it is now: opened, or updated in place — escalated when it got worse,
   * `updated` (the topic and the stream, no webhook call) when its products changed; nothing when nothing did.
   */
  digest(signal: Signal): void {
    const now = new Date().toISOString();
    const products = signal.summary ? signal.summary.split(',') : [];
    const live = this.repo.live(signal.cause);
    if (!live) {
      return this.record({ ...opening(signal, `nt-${uuidv7()}`, now), products }, 'opened', null, null);
    }
    const same =
      live.title === signal.title &&
      live.message === signal.message &&
      live.severity === signal.severity &&
      live.products.join() === products.join();
    if (same) return;
    const escalated = SEVERITY_RANK[signal.severity] > SEVERITY_RANK[live.severity];
    const n: NotificationRow = {
      ...live,
      severity: signal.severity,
      title: signal.title,
      message: signal.message,
      products,
      count: live.count + 1,
      last_seen: signal.at > live.last_seen ? signal.at : live.last_seen,
      updated_at: now,
    };
    this.record(n, escalated ? 'escalated' : 'updated', null, null);
  }

  /** The condition behind a cause no longer holds: its live notification is resolved by the system. */
  clear(cause: string): void {
    const live = this.repo.live(cause);
    if (!live) return;
    this.record(
      { ...live, status: 'resolved', snoozed_until: null, updated_at: new Date().toISOString() },
      'cleared',
      'system',
      'the condition no longer holds',
    );
  }

  /** A person's action; refused (409) when the lifecycle does not allow it, 404 for an unknown id. */
  act(id: string, action: Action, by: string | null, note: string | null, until?: string): ActResult {
    return this.db.transaction((): ActResult => {
      const n = this.repo.get(id);
      if (!n) return { status: 404, message: `no notification ${id}` };
      const next = transition(n.status, action);
      if ('refused' in next)
        return { status: 409, message: `cannot ${action} notification ${id}: ${next.refused}` };
      const changed: NotificationRow = {
        ...n,
        status: next.to,
        snoozed_until: action === 'snooze' ? until! : null,
        updated_at: new Date().toISOString(),
      };
      this.record(changed, next.change, by, note);
      return { ok: toPayload(changed, next.change) };
    })();
  }

  /** Snoozed notifications whose time has come are open again. */
  wakeSnoozed(): number {
    return this.db.transaction(() => {
      const now = new Date().toISOString();
      const due = this.repo.snoozeEnded(now);
      for (const n of due)
        this.record(
          { ...n, status: 'open', snoozed_until: null, updated_at: now },
          'reopened',
          'system',
          'snooze ended',
        );
      return due.length;
    })();
  }

  private record(n: NotificationRow, change: string, actor: string | null, note: string | null): void {
    this.repo.save(n);
    // in a mute window the change is recorded, streamed and published, but no webhook is called
    const mute = DELIVERED.has(change)
      ? this.mutes.active(n.store_location, n.type, n.updated_at)
      : undefined;
    const said = mute && !note ? `webhooks muted (${mute.id}${mute.reason ? `: ${mute.reason}` : ''})` : note;
    const changeId = this.repo.addChange(n, change, actor, said);
    const payload = toPayload(n, change);
    this.outbox.enqueue([message('stockpulse.notifications', payload, { producer: 'notifier' })]);
    if (DELIVERED.has(change) && !mute) {
      this.webhooks.enqueue(changeId, n, (deliveryId, webhookId) =>
        JSON.stringify({
          delivery_id: deliveryId,
          webhook_id: webhookId,
          event: `notification.${change}`,
          notification: payload,
        }),
      );
    }
  }
}

/** A new notification for a signal's cause. */
function opening(signal: Signal, id: string, now: string): NotificationRow {
  return {
    id,
    cause: signal.cause,
    type: signal.type,
    severity: signal.severity,
    status: 'open',
    title: signal.title,
    message: signal.message,
    product_id: signal.product_id ?? null,
    products: signal.product_id ? [signal.product_id] : [],
    store_location: signal.store_location,
    category: signal.category ?? null,
    count: 1,
    first_seen: signal.at,
    last_seen: signal.at,
    anomaly_ids: signal.anomaly_id ? [signal.anomaly_id] : [],
    forecast_series: signal.forecast_series ?? null,
    snoozed_until: null,
    created_at: now,
    updated_at: now,
  };
}
