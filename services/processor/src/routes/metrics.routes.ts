import { readCache, type FastifyPluginAsyncTypebox, type SqliteDatabase } from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';
import { windowPayload } from '../db/flush.js';
import type { StoredWindow } from '../db/window-store.js';
import { daysOfCover } from '../domain/windows.js';

const Name = Type.String({ minLength: 1, maxLength: 64 });
const Paging = {
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
};

const MetricsQuery = Type.Object(
  {
    store: Type.Optional(Name),
    category: Type.Optional(Name),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    window: Type.Enum(['hour', 'day'], { default: 'hour' }),
    ...Paging,
  },
  { additionalProperties: false },
);

const InventoryQuery = Type.Object(
  { store: Type.Optional(Name), category: Type.Optional(Name), product: Type.Optional(Name), ...Paging },
  { additionalProperties: false },
);

/** `GET /api/metrics` (window metrics, time order) and `GET /api/inventory` (current stock). */
export const metricsRoutes: FastifyPluginAsyncTypebox<{ db: SqliteDatabase }> = async (app, { db }) => {
  // repeated reads (a dashboard, the gateway) are answered from memory until the next write
  const cache = readCache(db);
  app.get('/api/metrics', { schema: { querystring: MetricsQuery } }, async (request, reply) => {
    reply.type('application/json');
    return cache.get(request.url, () => JSON.stringify(metrics(request.query)));
  });

  function metrics(q: Static<typeof MetricsQuery>) {
    const where = `WHERE w.window = @window AND (@store IS NULL OR w.store_location = @store)
      AND (@category IS NULL OR w.category = @category) AND (@from IS NULL OR w.window_start >= @from)
      AND (@to IS NULL OR w.window_start < @to)`;
    const params = {
      window: q.window,
      store: q.store ?? null,
      category: q.category ?? null,
      from: q.from ? Date.parse(q.from) : null,
      to: q.to ? Date.parse(q.to) : null,
    };
    const rows = db
      .prepare(
        `SELECT w.*, c.stock_value AS category_value FROM windows w
         LEFT JOIN category_windows c ON c.category = w.category AND c.window = w.window AND c.window_start = w.window_start
         ${where} ORDER BY w.window_start, w.store_location, w.category LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: q.limit, offset: q.offset }) as (StoredWindow & {
      category_value: number | null;
    })[];
    const { n } = db.prepare(`SELECT COUNT(*) AS n FROM windows w ${where}`).get(params) as { n: number };
    return { items: rows.map((r) => windowPayload(r, r.category_value)), total: n };
  }

  /** How many events are applied (row ids count them: reports are never deleted), for import progress. */
  const applied = db.prepare<[], { n: number | null }>('SELECT MAX(id) AS n FROM snapshots');
  app.get('/api/inventory/progress', async () => ({ events_applied: applied.get()?.n ?? 0 }));

  /** Totals for the overview: stock value, products out of stock or under a week of cover, newest event time. */
  app.get('/api/inventory/summary', async () => {
    const row = db
      .prepare(
        `SELECT COUNT(*) AS products, COALESCE(SUM(MAX(s.quantity, 0) * s.price), 0) AS stock_value,
           COALESCE(SUM(s.quantity <= 0), 0) AS out_of_stock, MAX(s.event_timestamp) AS latest,
           COALESCE(SUM(s.quantity > 0 AND s.quantity < (SELECT COALESCE(SUM(x.demand), 0) FROM snapshots x
             WHERE x.store_location = s.store_location AND x.product_id = s.product_id
               AND x.event_timestamp > s.event_timestamp - 7 * 86400000 AND x.event_timestamp <= s.event_timestamp)), 0)
             AS low_stock
         FROM stock s`,
      )
      .get() as {
      products: number;
      stock_value: number;
      out_of_stock: number;
      low_stock: number;
      latest: number | null;
    };
    return {
      products: row.products,
      stock_value: Math.round(row.stock_value * 100) / 100,
      out_of_stock: row.out_of_stock,
      low_stock: row.low_stock,
      latest_event_at: row.latest === null ? null : new Date(row.latest).toISOString(),
    };
  });

  app.get('/api/inventory', { schema: { querystring: InventoryQuery } }, async (request) => {
    const q = request.query;
    const where = `WHERE (@store IS NULL OR s.store_location = @store) AND (@category IS NULL OR s.category = @category)
      AND (@product IS NULL OR s.product_id = @product)`;
    const params = { store: q.store ?? null, category: q.category ?? null, product: q.product ?? null };
    const rows = db
      .prepare(
        `SELECT s.product_id, s.store_location, s.category, p.description, s.quantity, s.price, s.event_timestamp,
           (SELECT COALESCE(SUM(x.demand), 0) FROM snapshots x WHERE x.store_location = s.store_location
              AND x.product_id = s.product_id AND x.event_timestamp > s.event_timestamp - 7 * 86400000
              AND x.event_timestamp <= s.event_timestamp) AS demand_7d
         FROM stock s JOIN products p ON p.store_location = s.store_location AND p.product_id = s.product_id
         ${where} ORDER BY s.store_location, s.product_id LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: q.limit, offset: q.offset }) as {
      product_id: string;
      store_location: string;
      category: string;
      description: string | null;
      quantity: number;
      price: number;
      event_timestamp: number;
      demand_7d: number;
    }[];
    const { n } = db.prepare(`SELECT COUNT(*) AS n FROM stock s ${where}`).get(params) as { n: number };
    return {
      items: rows.map((r) => ({
        product_id: r.product_id,
        store_location: r.store_location,
        category: r.category,
        description: r.description ?? '',
        quantity: r.quantity,
        price: r.price,
        stock_value: Math.round(r.quantity * r.price * 100) / 100,
        updated_at: new Date(r.event_timestamp).toISOString(),
        units_sold_7d: r.demand_7d,
        days_of_cover: daysOfCover(r.quantity, r.demand_7d),
      })),
      total: n,
    };
  });
};
