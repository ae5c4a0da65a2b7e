import type { FastifyPluginAsyncTypebox, SqliteDatabase } from '@stockpulse/service-kit';
import Type from 'typebox';

const Query = Type.Object(
  {
    window: Type.Enum(['hour', 'day'], { default: 'hour' }),
    /** Window starts, inclusive. */
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

/**
 * `GET /api/metrics/category-values`: this processor's closing stock value per category at each window start
 * from `from` to `to`, and the last one before `from` (a value holds until the next window changes it). With
 * the stores in several partitions, each replica holds its stores' part of `stock_value_by_category`; the
 * gateway adds the replicas' parts up, so that the figure covers every store whatever PARTITIONS is.
 */
export const categoryValuesRoutes: FastifyPluginAsyncTypebox<{ db: SqliteDatabase }> = async (
  app,
  { db },
) => {
  const inRange = db.prepare<{ window: string; from: number; to: number }, Row>(
    `SELECT category, window_start, stock_value FROM category_windows
     WHERE window = @window AND window_start >= @from AND window_start <= @to`,
  );
  const before = db.prepare<{ window: string; from: number }, Row>(
    `SELECT c.category, c.window_start, c.stock_value FROM category_windows c
     WHERE c.window = @window AND c.window_start = (
       SELECT MAX(d.window_start) FROM category_windows d
       WHERE d.category = c.category AND d.window = @window AND d.window_start < @from)`,
  );
  app.get('/api/metrics/category-values', { schema: { querystring: Query } }, async (request) => {
    const params = {
      window: request.query.window,
      from: Date.parse(request.query.from),
      to: Date.parse(request.query.to),
    };
    const rows = [...before.all(params), ...inRange.all(params)];
    const items = rows.map((r) => ({ ...r, window_start: new Date(r.window_start).toISOString() }));
    return { items, total: items.length };
  });
};

interface Row {
  category: string;
  window_start: number;
  stock_value: number;
}
