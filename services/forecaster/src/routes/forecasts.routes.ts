import {
  likePattern,
  parseSort,
  readCache,
  SearchParam,
  searchSql,
  selectPage,
  SortParam,
  type FastifyPluginAsyncTypebox,
  type JobRunner,
  type Order,
  type SqliteDatabase,
} from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';
import { leaderboardOf, LEADERBOARD_SCORES, type LeaderboardPart } from '@stockpulse/contracts';
import type { DemandRepository } from '../db/demand.repository.js';
import type { ForecastsRepository, SeriesRow } from '../db/forecasts.repository.js';
import { KNOWN_MODELS } from '../models/names.js';
import { futureDates } from '../models/types.js';

const Name = Type.String({ minLength: 1, maxLength: 64 });

const ForecastQuery = Type.Object(
  {
    store: Type.Optional(Name),
    category: Type.Optional(Name),
    product: Type.Optional(Name),
    kind: Type.Optional(Type.Enum(['product', 'category'])),
    model: Type.Optional(Type.Enum([...KNOWN_MODELS])),
    horizon: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
    /** Days of predictions already compared with their actual demand. */
    past_days: Type.Integer({ minimum: 0, maximum: 365, default: 14 }),
    /** Days of the series' own demand before the forecast (`history`: complete days, oldest first). */
    history_days: Type.Integer({ minimum: 0, maximum: 730, default: 0 }),
    q: SearchParam,
    sort: SortParam,
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

/** One item per series: a store's categories in turn, each category's own series before its products'. */
const DEFAULT_ORDER: Order = [
  ['store_location', 1],
  ['category', 1],
  ['product_id', 1],
];

/**
 * The columns `sort` takes: the series' own, and its reorder advice's (an item's `advice`; none for a category
 * series, which sorts as NULL). No index serves them (nor the default order): a replica's series number in the
 * thousands (10,000 product series and their categories in the largest catalogue measured), read and sorted in
 * a few ms, and the answer is kept until the next retrain.
 */
const SORTS: Record<string, string> = {
  store_location: 'store_location',
  category: 'category',
  // NULL (a category series) first, as before
  product_id: 'product_id',
  series_id: 'series_id',
  // the model shown: the one asked for, else the chosen one
  model: 'COALESCE(@model, model)',
  chosen_model: 'model',
  last_date: 'last_date',
  generated_at: 'trained_at',
  ...Object.fromEntries(
    ['on_hand', 'safety_stock', 'reorder_point', 'stockout_date', 'suggested_order_qty'].map((k) => [
      k,
      `json_extract(advice, '$.${k}')`,
    ]),
  ),
};

const RunBody = Type.Object(
  {
    horizon: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
    store: Type.Optional(Name),
    product: Type.Optional(Name),
    /** The job's id, where the caller chooses it (the gateway: one id for the job on every replica). */
    job_id: Type.Optional(Type.String({ pattern: '^forecaster-[A-Za-z0-9-]{1,64}$' })),
  },
  { additionalProperties: false },
);

const ModelsQuery = Type.Object(
  { level: Type.Optional(Type.Enum(['product', 'category'])), parts: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

const DAY_MS = 86_400_000;

/** `GET /api/forecasts`, `POST /api/forecasts/run` (a job: the kit's job routes follow it), `GET /api/models`. */
export const forecastsRoutes: FastifyPluginAsyncTypebox<{
  db: SqliteDatabase;
  forecasts: ForecastsRepository;
  demand: DemandRepository;
  today: () => string;
  jobs: JobRunner;
  maxHorizon: number;
}> = async (app, { db, forecasts, demand, today, jobs, maxHorizon }) => {
  const historyOf = (row: SeriesRow, days: number) => {
    const { dates, values } = demand.series(row, today());
    return dates
      .slice(-days)
      .map((date, i, kept) => ({ date, units: values[values.length - kept.length + i]! }));
  };

  // a dashboard's repeated reads come from memory until the next write (a retrain, a day of demand); the
  // day is part of the key, as `history` ends with yesterday
  const cache = readCache(db);
  app.get('/api/forecasts', { schema: { querystring: ForecastQuery } }, async (request, reply) => {
    reply.type('application/json');
    return cache.get(`${today()} ${request.url}`, () => JSON.stringify(list(request.query)));
  });

  function list(q: Static<typeof ForecastQuery>) {
    const where = `WHERE model IS NOT NULL AND (@store IS NULL OR store_location = @store)
      AND (@category IS NULL OR category = @category) AND (@product IS NULL OR product_id = @product)
      AND (@kind IS NULL OR (@kind = 'product') = (product_id IS NOT NULL))
      AND ${searchSql(['product_id', 'store_location', 'category'])}`;
    const order = parseSort(q.sort, DEFAULT_ORDER, Object.keys(SORTS));
    const params = {
      q: likePattern(q.q),
      store: q.store ?? null,
      category: q.category ?? null,
      product: q.product ?? null,
      kind: q.kind ?? null,
      model: q.model ?? null, // the `model` sort column's
    };
    const list = { select: '*', from: 'FROM series', where, sorts: SORTS };
    const { rows, total } = selectPage<SeriesRow>(db, list, order, params, q);
    return {
      items: rows.map((row) => {
        const model = q.model ?? row.model!;
        const horizon = Math.min(q.horizon ?? row.horizon, row.horizon);
        const last = row.last_date!;
        const from = new Date(Date.parse(`${last}T00:00:00Z`) - q.past_days * DAY_MS)
          .toISOString()
          .slice(0, 10);
        const to = futureDates(last, horizon).at(-1)!;
        const points = forecasts.points(row.series_id, model, from, to).map(({ actual, ...p }) => ({
          ...p,
          ...(actual !== null ? { actual } : {}),
        }));
        return {
          series_id: row.series_id,
          ...(row.product_id !== null ? { product_id: row.product_id } : {}),
          store_location: row.store_location,
          category: row.category,
          model,
          chosen_model: row.model,
          reason: row.reason,
          horizon,
          last_date: last,
          generated_at: row.trained_at,
          points,
          backtest: forecasts.backtests(row.series_id),
          ...(q.history_days ? { history: historyOf(row, q.history_days) } : {}),
          ...(row.advice ? { advice: JSON.parse(row.advice) as unknown } : {}),
        };
      }),
      total,
    };
  }

  app.post('/api/forecasts/run', { schema: { body: RunBody } }, async (request, reply) => {
    const horizon = request.body.horizon;
    if (horizon !== undefined && horizon > maxHorizon) {
      return reply
        .status(400)
        .send({ error: { code: 'VALIDATION_ERROR', message: `horizon must be at most ${maxHorizon}` } });
    }
    const { job_id: id, ...params } = request.body;
    if (id && jobs.get(id))
      return reply
        .status(409)
        .send({ error: { code: 'CONFLICT', message: `job_id: a job ${id} exists already` } });
    const job = jobs.start('forecast', params, id);
    return reply.status(202).send({ job_id: job.id });
  });

  // per level (product × store, category × store) and model: backtest scores, and how the model did against
  // SeasonalNaive on the same series (its mean MASE over the baseline's, and the share of series it beat);
  // `parts=true`: the sums and counts behind them, which the gateway adds up over replicas (contracts)
  const sums = LEADERBOARD_SCORES.map((s) => `SUM(b.${s}) AS ${s}_sum, COUNT(b.${s}) AS ${s}_n`).join(', ');
  const live = (what: string) =>
    `(SELECT ${what} FROM points p WHERE p.model = b.model AND p.actual IS NOT NULL)`;
  const parts = db.prepare(
    `SELECT CASE WHEN s.product_id IS NULL THEN 'category' ELSE 'product' END AS level, b.model,
       COUNT(*) AS series, SUM(s.model = b.model) AS chosen, SUM(b.error IS NOT NULL) AS failed, ${sums},
       SUM(b.mase) FILTER (WHERE n.mase IS NOT NULL) AS vs_num, SUM(n.mase) FILTER (WHERE b.mase IS NOT NULL) AS vs_den,
       SUM(b.mase < n.mase) AS beats, COUNT(b.mase < n.mase) AS beats_n,
       ${live('SUM(ABS(p.value - p.actual))')} AS live_abs, ${live('SUM(p.actual)')} AS live_actual,
       ${live('COUNT(*)')} AS live_days
     FROM backtests b JOIN series s ON s.series_id = b.series_id
       LEFT JOIN backtests n ON n.series_id = b.series_id AND n.model = 'SeasonalNaive'
     WHERE @level IS NULL OR (@level = 'product') = (s.product_id IS NOT NULL)
     GROUP BY level, b.model`,
  );
  app.get('/api/models', { schema: { querystring: ModelsQuery } }, async (request) => {
    const found = parts.all({ level: request.query.level ?? null }) as LeaderboardPart[];
    const items = request.query.parts ? found : leaderboardOf(found);
    return { items, total: items.length };
  });
};
