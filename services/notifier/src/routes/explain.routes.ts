import type { ForecastPayload } from '@stockpulse/contracts';
import type { FastifyPluginAsyncTypebox, SqliteDatabase } from '@stockpulse/service-kit';
import type { NotificationRow } from '../db/notifications.repository.js';
import type { Notifications } from '../notifications.js';
import { NotificationId } from './notifications.routes.js';

const day = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** Current stock from the processor; undefined when it cannot say (it is down, or never saw the product). */
async function currentStock(
  processorUrl: string,
  store: string,
  product: string,
  headers: Record<string, string>,
) {
  try {
    const query = new URLSearchParams({ store, product, limit: '1' });
    const res = await fetch(`${processorUrl}/api/inventory?${query.toString()}`, {
      headers,
      signal: AbortSignal.timeout(2000),
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { items: { quantity: number; price: number; updated_at: string }[] };
    return body.items[0];
  } catch {
    return undefined;
  }
}

function status(n: NotificationRow, actions: { change: string; actor: string | null; at: string }[]): string {
  const last = actions.at(-1);
  const by = last?.actor ? ` by ${last.actor}` : '';
  const when = last ? ` on ${day(last.at)} UTC` : '';
  switch (n.status) {
    case 'acknowledged':
      return `It was acknowledged${by}${when} and is not resolved yet.`;
    case 'resolved':
      return `It was resolved${by}${when}.`;
    case 'snoozed':
      return `It is snoozed until ${day(n.snoozed_until!)} UTC.`;
    default:
      return 'Nobody has acknowledged it yet.';
  }
}

/**
 * `GET /api/notifications/:id/explain`: a plain-language account built from the anomalies behind the
 * notification, this product's recent anomalies at this store, its current stock (from the processor) and its
 * latest forecast — the original system's "ask about anomalies", answered from facts.
 */
export const explainRoutes: FastifyPluginAsyncTypebox<{
  db: SqliteDatabase;
  notifications: Notifications;
  /** The processor (replica) that holds a store's stock. */
  processorOf: (store: string) => string;
  headers: Record<string, string>;
}> = async (app, { db, notifications, processorOf, headers }) => {
  app.get(
    '/api/notifications/:id/explain',
    { schema: { params: NotificationId } },
    async (request, reply) => {
      const n = notifications.repo.get(request.params.id);
      if (!n)
        return reply
          .status(404)
          .send({ error: { code: 'NOT_FOUND', message: `no notification ${request.params.id}` } });
      const actions = db
        .prepare(
          'SELECT change, actor, at FROM changes WHERE notification_id = ? AND actor IS NOT NULL ORDER BY id',
        )
        .all(n.id) as { change: string; actor: string | null; at: string }[];
      const causes = db
        .prepare(
          'SELECT explanation FROM anomalies WHERE notification_id = ? ORDER BY event_timestamp DESC LIMIT 3',
        )
        .pluck()
        .all(n.id) as string[];
      const parts = [
        `${n.title}: seen ${n.count === 1 ? 'once' : `${n.count} times`}, first on ${day(n.first_seen)} UTC${n.count > 1 ? `, last on ${day(n.last_seen)} UTC` : ''}. ${status(n, actions)}`,
        causes.length ? `What was found: ${causes.join(' ')}` : n.message,
      ];
      const facts: Record<string, unknown> = { anomalies: causes };
      if (n.product_id) {
        const since = new Date(Date.parse(n.last_seen) - 30 * 86_400_000).toISOString();
        const recent = db
          .prepare(
            `SELECT type, COUNT(*) AS n FROM anomalies WHERE store_location = ? AND product_id = ? AND event_timestamp >= ?
           GROUP BY type ORDER BY n DESC`,
          )
          .all(n.store_location, n.product_id, since) as { type: string; n: number }[];
        facts.recent_anomalies = recent;
        if (recent.length) {
          const list = recent.map((r) => `${r.n} ${r.type.replace(/_/g, ' ')}`).join(', ');
          parts.push(
            `In the 30 days to its last occurrence, ${n.product_id} at ${n.store_location} had: ${list}.`,
          );
        }
        const stock = await currentStock(
          processorOf(n.store_location),
          n.store_location,
          n.product_id,
          headers,
        );
        facts.stock = stock ?? null;
        parts.push(
          stock
            ? `It now has ${stock.quantity} units in stock at ${stock.price.toFixed(2)} each (report of ${day(stock.updated_at)} UTC).`
            : 'Its current stock is unknown right now (the processor did not answer).',
        );
        const stored = db
          .prepare('SELECT payload FROM forecasts WHERE store_location = ? AND product_id = ?')
          .pluck()
          .get(n.store_location, n.product_id) as string | undefined;
        const forecast = stored ? (JSON.parse(stored) as ForecastPayload) : undefined;
        facts.forecast = forecast ? { model: forecast.model, advice: forecast.advice ?? null } : null;
        if (forecast) {
          const week = forecast.points.slice(0, 7);
          const units = week.reduce((s, p) => s + p.value, 0);
          const low = week.reduce((s, p) => s + p.lower_80, 0);
          const high = week.reduce((s, p) => s + p.upper_80, 0);
          const out = forecast.advice?.stockout_date
            ? `a stock-out is expected on ${forecast.advice.stockout_date}`
            : 'no stock-out is expected within the forecast';
          parts.push(
            `Its forecast (${forecast.model}) is ${units.toFixed(0)} units over the next ${week.length} days (80 % range ${low.toFixed(0)}–${high.toFixed(0)}); ${out}.`,
          );
        } else parts.push('It has no forecast yet.');
      }
      return { id: n.id, explanation: parts.join(' '), facts };
    },
  );
};
