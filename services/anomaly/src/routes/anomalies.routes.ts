import type { FastifyPluginAsyncTypebox, SqliteDatabase } from '@stockpulse/service-kit';
import Type from 'typebox';
import { ListQuery, present, whereOf } from './filters.js';

const AnomalyQuery = Type.Object(
  {
    ...ListQuery,
    severity: Type.Optional(Type.Enum(['warning', 'critical'])),
    /** `none`: not judged yet. */
    verdict: Type.Optional(Type.Enum(['confirmed', 'false_positive', 'none'])),
  },
  { additionalProperties: false },
);

export const ANOMALY_COLUMNS = `id, detector, type, severity, score, explanation, event_id, product_id, store_location,
  category, event_timestamp, detected_at, verdict, verdict_reason, verdict_at`;

export const AnomalyId = Type.String({ pattern: '^an-[0-9a-f-]{36}$' });

/**
 * `GET /api/anomalies` (newest event first) and `GET /api/anomalies/:id`: anomalies only, each with the
 * user's current verdict when there is one. Notes (weak detectors alone, findings under a threshold a verdict
 * raised) are at `/api/anomalies/notes`.
 */
export const anomaliesRoutes: FastifyPluginAsyncTypebox<{ db: SqliteDatabase }> = async (app, { db }) => {
  app.get('/api/anomalies', { schema: { querystring: AnomalyQuery } }, async (request) => {
    const q = request.query;
    const filters = whereOf(q);
    const params = { ...filters.params, severity: q.severity ?? null, verdict: q.verdict ?? null };
    const where = `WHERE ${filters.sql} AND (@severity IS NULL OR severity = @severity)
      AND (@verdict IS NULL OR verdict = @verdict OR (@verdict = 'none' AND verdict IS NULL))`;
    const items = db
      .prepare(
        `SELECT ${ANOMALY_COLUMNS} FROM anomalies ${where} ORDER BY event_timestamp DESC, id LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: q.limit, offset: q.offset }) as Record<string, unknown>[];
    const total = db.prepare(`SELECT COUNT(*) FROM anomalies ${where}`).pluck().get(params) as number;
    return { items: items.map(present), total };
  });

  app.get(
    '/api/anomalies/:id',
    { schema: { params: Type.Object({ id: AnomalyId }) } },
    async (request, reply) => {
      const row = db.prepare(`SELECT ${ANOMALY_COLUMNS} FROM anomalies WHERE id = ?`).get(request.params.id);
      if (!row) {
        return reply
          .status(404)
          .send({ error: { code: 'NOT_FOUND', message: `no anomaly ${request.params.id}` } });
      }
      return present(row as Record<string, unknown>);
    },
  );
};
