import {
  parseSort,
  selectPage,
  readCache,
  SortParam,
  type FastifyPluginAsyncTypebox,
  type Order,
  type SqliteDatabase,
} from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';
import { windowPayload } from '../db/flush.js';
import type { StoredWindow } from '../db/window-store.js';
import { avgPrice, daysOfCover, round, turnoverRate } from '../domain/windows.js';

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
    sort: SortParam,
    ...Paging,
  },
  { additionalProperties: false },
);

const DEFAULT_ORDER: Order = [
  ['window_start', 1],
  ['store_location', 1],
  ['category', 1],
];

/**
 * The columns `sort` takes, each the SQL of the value the item shows (derived ones through the functions that
 * derive them, registered below), so that a replica's order and the gateway's merge of replicas agree; not
 * `stock_value_by_category`, which the gateway makes again over every replica. Time order is the
 * `windows_by_time` index; any other sort reads every window the filters leave and sorts them: with
 * `window=day` (the dashboard's) 365 a year per store × category, but years of hour windows of every store are
 * millions — narrow those with `store`, `category` or `from`/`to`.
 */
const SORTS: Record<string, string> = {
  window_start: 'w.window_start',
  store_location: 'w.store_location',
  category: 'w.category',
  total_quantity: 'w.total_quantity',
  opening_quantity: 'w.opening_quantity',
  total_stock_value: 'api_round4(w.total_stock_value)',
  avg_price: 'api_avg_price(w.sum_price, w.product_count)',
  product_count: 'w.product_count',
  units_sold: 'w.units_sold',
  units_received: 'w.units_received',
  event_count: 'w.event_count',
  moving_avg_stock_value: 'w.moving_avg_stock_value',
  turnover_rate: 'api_turnover_rate(w.units_sold, w.opening_quantity, w.total_quantity)',
  days_of_cover: 'api_window_cover(w.total_quantity, w.demand_7d)',
};

/** `GET /api/metrics` (window metrics, time order unless sorted) and the inventory's summary and progress. */
export const metricsRoutes: FastifyPluginAsyncTypebox<{ db: SqliteDatabase }> = async (app, { db }) => {
  // repeated reads (a dashboard, the gateway) are answered from memory until the next write
  const cache = readCache(db);
  const fn = (name: string, f: (...args: number[]) => number | null) =>
    db.function(name, { deterministic: true, varargs: true }, (...args) => f(...(args as number[])));
  fn('api_round4', (x) => round(x, 4));
  fn('api_avg_price', avgPrice);
  fn('api_turnover_rate', turnoverRate);
  fn('api_window_cover', daysOfCover);
  app.get('/api/metrics', { schema: { querystring: MetricsQuery } }, async (request, reply) => {
    reply.type('application/json');
    return cache.get(request.url, () => JSON.stringify(metrics(request.query)));
  });

  function metrics(q: Static<typeof MetricsQuery>) {
    const order = parseSort(q.sort, DEFAULT_ORDER, Object.keys(SORTS));
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
    const list = {
      select: 'w.*, c.stock_value AS category_value',
      from: `FROM windows w LEFT JOIN category_windows c
        ON c.category = w.category AND c.window = w.window AND c.window_start = w.window_start`,
      countFrom: 'FROM windows w',
      where,
      sorts: SORTS,
    };
    const { rows, total } = selectPage<StoredWindow & { category_value: number | null }>(
      db,
      list,
      order,
      params,
      q,
    );
    return { items: rows.map((r) => windowPayload(r, r.category_value)), total };
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
};
