import {
  likePattern,
  parseSort,
  SearchParam,
  searchSql,
  selectPage,
  SortParam,
  type FastifyPluginAsyncTypebox,
  type Order,
  type SqliteDatabase,
} from '@stockpulse/service-kit';
import Type from 'typebox';
import { daysOfCover, stockValue } from '../domain/windows.js';

const Name = Type.String({ minLength: 1, maxLength: 64 });

const InventoryQuery = Type.Object(
  {
    store: Type.Optional(Name),
    category: Type.Optional(Name),
    product: Type.Optional(Name),
    q: SearchParam,
    sort: SortParam,
    limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

const DEFAULT_ORDER: Order = [
  ['store_location', 1],
  ['product_id', 1],
];

/**
 * The columns `sort` takes, each the SQL of the value the item shows (computed ones through the same functions
 * as the items, registered below), so that a replica's order and the gateway's merge of replicas agree. The
 * default order walks the stock table's key; any other sort reads every product × store the filters leave and
 * sorts them — the whole catalogue of a replica at most (10,000 rows in the largest load measured, a few ms;
 * by 7-day demand or cover, one index range of a week's reports per row on top, tens of ms).
 */
const SORTS: Record<string, string> = {
  product_id: 's.product_id',
  store_location: 's.store_location',
  category: 's.category',
  // shown as '' when unknown: sorted as shown
  description: "COALESCE(p.description, '')",
  quantity: 's.quantity',
  price: 's.price',
  stock_value: 'api_stock_value(s.quantity, s.price)',
  updated_at: 's.event_timestamp',
  units_sold_7d: 'demand_7d',
  days_of_cover: 'api_days_of_cover(s.quantity, demand_7d)',
};

interface InventoryRow {
  product_id: string;
  store_location: string;
  category: string;
  description: string | null;
  quantity: number;
  price: number;
  event_timestamp: number;
  demand_7d: number;
}

/** `GET /api/inventory`: current stock per product × store, filtered, searched, sorted and paged. */
export const inventoryRoutes: FastifyPluginAsyncTypebox<{ db: SqliteDatabase }> = async (app, { db }) => {
  db.function('api_stock_value', { deterministic: true }, (q, p) => stockValue(q as number, p as number));
  db.function('api_days_of_cover', { deterministic: true }, (q, d) => daysOfCover(q as number, d as number));
  const where = `WHERE (@store IS NULL OR s.store_location = @store) AND (@category IS NULL OR s.category = @category)
      AND (@product IS NULL OR s.product_id = @product)
      AND ${searchSql(['s.product_id', 'p.description', 's.store_location', 's.category'])}`;
  const list = {
    select: `s.product_id, s.store_location, s.category, p.description, s.quantity, s.price, s.event_timestamp,
      (SELECT COALESCE(SUM(x.demand), 0) FROM snapshots x WHERE x.store_location = s.store_location
         AND x.product_id = s.product_id AND x.event_timestamp > s.event_timestamp - 7 * 86400000
         AND x.event_timestamp <= s.event_timestamp) AS demand_7d`,
    from: 'FROM stock s JOIN products p ON p.store_location = s.store_location AND p.product_id = s.product_id',
    where,
    sorts: SORTS,
  };

  app.get('/api/inventory', { schema: { querystring: InventoryQuery } }, async (request) => {
    const q = request.query;
    const order = parseSort(q.sort, DEFAULT_ORDER, Object.keys(SORTS));
    const params = {
      store: q.store ?? null,
      category: q.category ?? null,
      product: q.product ?? null,
      q: likePattern(q.q),
    };
    const { rows, total } = selectPage<InventoryRow>(db, list, order, params, q);
    return {
      items: rows.map((r) => ({
        product_id: r.product_id,
        store_location: r.store_location,
        category: r.category,
        description: r.description ?? '',
        quantity: r.quantity,
        price: r.price,
        stock_value: stockValue(r.quantity, r.price),
        updated_at: new Date(r.event_timestamp).toISOString(),
        units_sold_7d: r.demand_7d,
        days_of_cover: daysOfCover(r.quantity, r.demand_7d),
      })),
      total,
    };
  });
};
