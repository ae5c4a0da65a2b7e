import type { FastifyPluginAsyncTypebox, SqliteDatabase } from '@stockpulse/service-kit';
import Type from 'typebox';
import type { VerdictsRepository } from '../db/verdicts.repository.js';
import { VERDICTS } from '../domain/verdicts.js';
import { ANOMALY_COLUMNS, AnomalyId } from './anomalies.routes.js';
import { present } from './filters.js';

const VerdictBody = Type.Object(
  {
    verdict: Type.Enum([...VERDICTS]),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

const ExportQuery = Type.Object(
  {
    format: Type.Enum(['json', 'csv'], { default: 'json' }),
    limit: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

const EXPORTED = [
  'at',
  'verdict',
  'reason',
  'anomaly_id',
  'detector',
  'type',
  'severity',
  'score',
  'product_id',
  'store_location',
  'category',
  'event_id',
  'event_timestamp',
  'explanation',
];
const csvCell = (v: unknown) => {
  const s = typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Users' verdicts: `POST /api/anomalies/:id/verdict` (confirmed or false_positive, with an optional reason;
 * a verdict can be changed, every one is kept), `GET /api/anomalies/:id/verdicts` (its history) and
 * `GET /api/anomalies/verdicts` (every verdict given, oldest first, as JSON or CSV, for export).
 */
export const verdictsRoutes: FastifyPluginAsyncTypebox<{
  db: SqliteDatabase;
  verdicts: VerdictsRepository;
}> = async (app, { db, verdicts }) => {
  const notFound = (id: string) => ({ error: { code: 'NOT_FOUND', message: `no anomaly ${id}` } });

  app.post(
    '/api/anomalies/:id/verdict',
    { schema: { params: Type.Object({ id: AnomalyId }), body: VerdictBody } },
    async (request, reply) => {
      const { id } = request.params;
      const { verdict, reason } = request.body;
      if (!verdicts.judge(id, verdict, reason?.trim() || null)) return reply.status(404).send(notFound(id));
      return present(
        db.prepare(`SELECT ${ANOMALY_COLUMNS} FROM anomalies WHERE id = ?`).get(id) as Record<
          string,
          unknown
        >,
      );
    },
  );

  app.get(
    '/api/anomalies/:id/verdicts',
    { schema: { params: Type.Object({ id: AnomalyId }) } },
    async (request, reply) => {
      const { id } = request.params;
      const exists = db.prepare('SELECT 1 FROM anomalies WHERE id = ?').get(id);
      if (!exists) return reply.status(404).send(notFound(id));
      const items = verdicts.history(id).map(present);
      return { items, total: items.length };
    },
  );

  app.get('/api/anomalies/verdicts', { schema: { querystring: ExportQuery } }, async (request, reply) => {
    const { format, limit, offset } = request.query;
    const rows = db
      .prepare(
        `SELECT v.at, v.verdict, v.reason, v.anomaly_id, a.detector, a.type, a.severity, a.score, a.product_id,
           a.store_location, a.category, a.event_id, a.event_timestamp, a.explanation
         FROM verdicts v JOIN anomalies a ON a.id = v.anomaly_id ORDER BY v.at, v.id LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as Record<string, unknown>[];
    if (format === 'json') {
      const total = db.prepare('SELECT COUNT(*) FROM verdicts').pluck().get() as number;
      return { items: rows.map(present), total };
    }
    const lines = [EXPORTED.join(','), ...rows.map((r) => EXPORTED.map((c) => csvCell(r[c])).join(','))];
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="anomaly-verdicts.csv"')
      .send(`${lines.join('\r\n')}\r\n`);
  });
};
