import type { FastifyPluginAsyncTypebox, SqliteDatabase } from '@stockpulse/service-kit';
import Type from 'typebox';

const Name = Type.String({ minLength: 1, maxLength: 128 });

const AnomalyQuery = Type.Object(
  {
    detector: Type.Optional(Type.Enum(['rules', 'forecast_residual', 'isolation_forest', 'text'])),
    type: Type.Optional(Type.String({ pattern: '^[a-z_]{1,64}$' })),
    severity: Type.Optional(Type.Enum(['info', 'warning', 'critical'])),
    store: Type.Optional(Name),
    category: Type.Optional(Name),
    product: Type.Optional(Name),
    event_id: Type.Optional(Name),
    /** Event time, inclusive. */
    from: Type.Optional(Type.String({ format: 'date-time' })),
    /** Event time, exclusive. */
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

const COLUMNS = `id, detector, type, severity, score, explanation, event_id, product_id, store_location, category,
  event_timestamp, detected_at`;

/** Drops the null event id of day-level anomalies (the field is absent, as on the topic). */
const present = (row: Record<string, unknown>) => {
  const { event_id, ...rest } = row;
  return event_id === null ? rest : { ...rest, event_id };
};

/** `GET /api/anomalies` (newest event first) and `GET /api/anomalies/:id`. */
export const anomaliesRoutes: FastifyPluginAsyncTypebox<{ db: SqliteDatabase }> = async (app, { db }) => {
  app.get('/api/anomalies', { schema: { querystring: AnomalyQuery } }, async (request) => {
    const q = request.query;
    const params = {
      detector: q.detector ?? null,
      type: q.type ?? null,
      severity: q.severity ?? null,
      store: q.store ?? null,
      category: q.category ?? null,
      product: q.product ?? null,
      event_id: q.event_id ?? null,
      from: q.from ? new Date(q.from).toISOString() : null,
      to: q.to ? new Date(q.to).toISOString() : null,
    };
    const where = `WHERE (@detector IS NULL OR detector = @detector) AND (@type IS NULL OR type = @type)
      AND (@severity IS NULL OR severity = @severity) AND (@store IS NULL OR store_location = @store)
      AND (@category IS NULL OR category = @category) AND (@product IS NULL OR product_id = @product)
      AND (@event_id IS NULL OR event_id = @event_id) AND (@from IS NULL OR event_timestamp >= @from)
      AND (@to IS NULL OR event_timestamp < @to)`;
    const items = db
      .prepare(
        `SELECT ${COLUMNS} FROM anomalies ${where} ORDER BY event_timestamp DESC, id LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: q.limit, offset: q.offset }) as Record<string, unknown>[];
    const total = db.prepare(`SELECT COUNT(*) FROM anomalies ${where}`).pluck().get(params) as number;
    return { items: items.map(present), total };
  });

  app.get(
    '/api/anomalies/:id',
    { schema: { params: Type.Object({ id: Type.String({ pattern: '^an-[0-9a-f-]{36}$' }) }) } },
    async (request, reply) => {
      const row = db.prepare(`SELECT ${COLUMNS} FROM anomalies WHERE id = ?`).get(request.params.id);
      if (!row) {
        return reply
          .status(404)
          .send({ error: { code: 'NOT_FOUND', message: `no anomaly ${request.params.id}` } });
      }
      return present(row as Record<string, unknown>);
    },
  );
};
