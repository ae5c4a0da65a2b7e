import {
  REPLENISHMENT_COLUMNS,
  REPLENISHMENT_CSV,
  REPLENISHMENT_ORDER,
  replenishmentCsv,
  type ReplenishmentItem,
} from '@stockpulse/contracts';
import {
  compareBy,
  likePattern,
  parseSort,
  readCache,
  SearchParam,
  searchSql,
  SortParam,
  type FastifyPluginAsyncTypebox,
  type SqliteDatabase,
} from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';
import type { ReorderAdvice } from '../domain/advice.js';
import { replenishmentOf } from '../domain/replenishment.js';

const Name = Type.String({ minLength: 1, maxLength: 64 });

const ReplenishmentQuery = Type.Object(
  {
    store: Type.Optional(Name),
    category: Type.Optional(Name),
    q: SearchParam,
    sort: SortParam,
    /** `csv`: the whole list (every page), as a purchase list to download. */
    format: Type.Enum(['json', 'csv'], { default: 'json' }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

/**
 * `GET /api/replenishment`: per store, what to order and by when — one row per product × store that needs an
 * order (domain/replenishment.ts), from each product series' stored reorder advice and its latest price.
 * Filtered (store, category, `q` over product, store and category) and pre-selected in SQL; the rows are made,
 * sorted and paged here: they are derived from the advice and today's date, and number at most this replica's
 * product series (10,000 in the largest catalogue measured: a sort of a few ms, and the answer is kept until
 * the store changes or the day does). Sorted with the comparator the gateway merges replicas' pages with.
 */
export const replenishmentRoutes: FastifyPluginAsyncTypebox<{
  db: SqliteDatabase;
  today: () => string;
  reviewDays: number;
}> = async (app, { db, today, reviewDays }) => {
  const cache = readCache(db);
  const advice = (key: string) => `json_extract(s.advice, '$.${key}')`;
  const candidates = db.prepare(
    `SELECT s.store_location, s.product_id, s.category, s.last_date, s.advice,
       (SELECT d.price FROM demand d WHERE d.store_location = s.store_location AND d.product_id = s.product_id
          AND d.price IS NOT NULL ORDER BY d.date DESC LIMIT 1) AS unit_price
     FROM series s
     WHERE s.product_id IS NOT NULL AND s.model IS NOT NULL AND s.advice IS NOT NULL
       AND ${advice('on_hand')} IS NOT NULL
       AND (${advice('on_hand')} <= ${advice('reorder_point')} OR ${advice('stockout_date')}
         < date(@today, '+' || (${advice('lead_time_days')} + @review) || ' days'))
       AND (@store IS NULL OR s.store_location = @store) AND (@category IS NULL OR s.category = @category)
       AND ${searchSql(['s.product_id', 's.store_location', 's.category'])}`,
  );

  function rows(q: Static<typeof ReplenishmentQuery>): ReplenishmentItem[] {
    const order = parseSort(q.sort, REPLENISHMENT_ORDER, REPLENISHMENT_COLUMNS);
    const day = today();
    const found = candidates.all({
      today: day,
      review: reviewDays,
      store: q.store ?? null,
      category: q.category ?? null,
      q: likePattern(q.q),
    }) as {
      store_location: string;
      product_id: string;
      category: string;
      last_date: string;
      advice: string;
      unit_price: number | null;
    }[];
    return found
      .map((r) => replenishmentOf({ ...r, advice: JSON.parse(r.advice) as ReorderAdvice }, day, reviewDays))
      .filter((r): r is ReplenishmentItem => r !== null)
      .sort(compareBy(order));
  }

  app.get('/api/replenishment', { schema: { querystring: ReplenishmentQuery } }, async (request, reply) => {
    const q = request.query;
    if (q.format === 'csv') {
      return reply
        .type(REPLENISHMENT_CSV.type)
        .header('content-disposition', REPLENISHMENT_CSV.disposition)
        .send(cache.get(`${today()} ${request.url}`, () => replenishmentCsv(rows(q))));
    }
    reply.type('application/json');
    return cache.get(`${today()} ${request.url}`, () => {
      const all = rows(q);
      return JSON.stringify({ items: all.slice(q.offset, q.offset + q.limit), total: all.length });
    });
  });
};
