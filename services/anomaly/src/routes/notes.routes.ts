import type { FastifyPluginAsyncTypebox, SqliteDatabase } from '@stockpulse/service-kit';
import Type from 'typebox';
import { ANOMALY_COLUMNS } from './anomalies.routes.js';
import { ListQuery, present, whereOf } from './filters.js';

const NOTE_COLUMNS = `id, detector, type, score, explanation, event_id, product_id, store_location, category,
  event_timestamp, detected_at`;

/**
 * What is kept for drill-down but is not an anomaly: `GET /api/anomalies/notes` (weak detectors alone, and
 * findings under a threshold a verdict raised; highest score first) and `GET /api/anomalies/events/:event_id`
 * (one event: its isolation-forest features and score, its anomalies and notes).
 */
export const notesRoutes: FastifyPluginAsyncTypebox<{ db: SqliteDatabase }> = async (app, { db }) => {
  app.get(
    '/api/anomalies/notes',
    { schema: { querystring: Type.Object(ListQuery, { additionalProperties: false }) } },
    async (request) => {
      const q = request.query;
      const { sql, params } = whereOf(q);
      const items = db
        .prepare(
          `SELECT ${NOTE_COLUMNS} FROM notes WHERE ${sql} ORDER BY score DESC, id LIMIT @limit OFFSET @offset`,
        )
        .all({ ...params, limit: q.limit, offset: q.offset }) as Record<string, unknown>[];
      const total = db.prepare(`SELECT COUNT(*) FROM notes WHERE ${sql}`).pluck().get(params) as number;
      return { items: items.map(present), total };
    },
  );

  app.get(
    '/api/anomalies/events/:event_id',
    { schema: { params: Type.Object({ event_id: Type.String({ minLength: 1, maxLength: 128 }) }) } },
    async (request, reply) => {
      const id = request.params.event_id;
      const scored = db
        .prepare(
          'SELECT price_ratio, quantity_change, sales_surprise, score FROM features WHERE event_id = ?',
        )
        .get(id) as { score: number | null } | undefined;
      const anomalies = db.prepare(`SELECT ${ANOMALY_COLUMNS} FROM anomalies WHERE event_id = ?`).all(id);
      const notes = db.prepare(`SELECT ${NOTE_COLUMNS} FROM notes WHERE event_id = ?`).all(id);
      if (!scored && !anomalies.length && !notes.length) {
        const message = `no event ${id} among the events the anomaly service scored or flagged`;
        return reply.status(404).send({ error: { code: 'NOT_FOUND', message } });
      }
      const { score = null, ...features } = scored ?? {};
      return {
        event_id: id,
        isolation_forest: scored ? { score, features } : null,
        anomalies: (anomalies as Record<string, unknown>[]).map(present),
        notes: (notes as Record<string, unknown>[]).map(present),
      };
    },
  );
};
