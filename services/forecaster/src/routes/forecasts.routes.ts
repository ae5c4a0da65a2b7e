import {
  readCache,
  type FastifyPluginAsyncTypebox,
  type JobRunner,
  type SqliteDatabase,
} from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';
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
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

const RunBody = Type.Object(
  {
    horizon: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
    store: Type.Optional(Name),
    product: Type.Optional(Name),
  },
  { additionalProperties: false },
);

const ModelsQuery = Type.Object(
  { level: Type.Optional(Type.Enum(['product', 'category'])) },
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
      AND (@kind IS NULL OR (@kind = 'product') = (product_id IS NOT NULL))`;
    const params = {
      store: q.store ?? null,
      category: q.category ?? null,
      product: q.product ?? null,
      kind: q.kind ?? null,
    };
    const rows = db
      .prepare(
        `SELECT * FROM series ${where} ORDER BY store_location, category, product_id IS NOT NULL, product_id LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: q.limit, offset: q.offset }) as SeriesRow[];
    const { n } = db.prepare(`SELECT COUNT(*) AS n FROM series ${where}`).get(params) as { n: number };
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
      total: n,
    };
  }

  app.post('/api/forecasts/run', { schema: { body: RunBody } }, async (request, reply) => {
    const horizon = request.body.horizon;
    if (horizon !== undefined && horizon > maxHorizon) {
      return reply
        .status(400)
        .send({ error: { code: 'VALIDATION_ERROR', message: `horizon must be at most ${maxHorizon}` } });
    }
    const job = jobs.start('forecast', request.body);
    return reply.status(202).send({ job_id: job.id });
  });

  // per level (product × store, category × store) and model: backtest scores, and how the model did against
  // SeasonalNaive on the same series (its mean MASE over the baseline's, and the share of series it beat)
  app.get('/api/models', { schema: { querystring: ModelsQuery } }, async (request) => {
    const items = db
      .prepare(
        `SELECT CASE WHEN s.product_id IS NULL THEN 'category' ELSE 'product' END AS level, b.model,
           COUNT(*) AS series, SUM(s.model = b.model) AS chosen,
           AVG(b.mase) AS mase, AVG(b.wape) AS wape, AVG(b.smape) AS smape, AVG(b.bias) AS bias, AVG(b.rmse) AS rmse,
           AVG(b.coverage_80) AS coverage_80, AVG(b.coverage_95) AS coverage_95, SUM(b.error IS NOT NULL) AS failed,
           SUM(b.mase) FILTER (WHERE n.mase IS NOT NULL) / NULLIF(SUM(n.mase) FILTER (WHERE b.mase IS NOT NULL), 0)
             AS vs_seasonal_naive,
           AVG(b.mase < n.mase) AS beats_seasonal_naive,
           (SELECT AVG(ABS(p.value - p.actual)) FROM points p WHERE p.model = b.model AND p.actual IS NOT NULL) AS live_mae,
           (SELECT 100.0 * SUM(ABS(p.value - p.actual)) / NULLIF(SUM(p.actual), 0) FROM points p
              WHERE p.model = b.model AND p.actual IS NOT NULL) AS live_wape,
           (SELECT COUNT(*) FROM points p WHERE p.model = b.model AND p.actual IS NOT NULL) AS live_days
         FROM backtests b JOIN series s ON s.series_id = b.series_id
           LEFT JOIN backtests n ON n.series_id = b.series_id AND n.model = 'SeasonalNaive'
         WHERE @level IS NULL OR (@level = 'product') = (s.product_id IS NOT NULL)
         GROUP BY level, b.model ORDER BY level DESC, AVG(b.mase) IS NULL, AVG(b.mase)`,
      )
      .all({ level: request.query.level ?? null }) as Record<string, number | string | null>[];
    const round = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v);
    return {
      items: items.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]))),
      total: items.length,
    };
  });
};
