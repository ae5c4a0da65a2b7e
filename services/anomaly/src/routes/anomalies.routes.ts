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
  SEVERITY_RANK_SQL,
} from '@stockpulse/service-kit';
import Type from 'typebox';
import { ListQuery, present, whereOf } from './filters.js';

const AnomalyQuery = Type.Object(
  {
    ...ListQuery,
    severity: Type.Optional(Type.Enum(['warning', 'critical'])),
    /** `none`: not judged yet. */
    verdict: Type.Optional(Type.Enum(['confirmed', 'false_positive', 'none'])),
    q: SearchParam,
    sort: SortParam,
  },
  { additionalProperties: false },
);

const DEFAULT_ORDER: Order = [
  ['event_timestamp', -1],
  ['id', 1],
];

/**
 * The columns `sort` takes; severity by rank (info < warning < critical), as the gateway merges it. Time order
 * is the `anomalies_by_time` index; any other sort reads every anomaly the filters leave and sorts them —
 * anomalies are what a person should look at (0–0.6 % of events in the benchmarks), some thousands per
 * replica, a few ms.
 */
const SORTS: Record<string, string> = {
  event_timestamp: 'event_timestamp',
  detected_at: 'detected_at',
  id: 'id',
  severity: SEVERITY_RANK_SQL,
  score: 'score',
  detector: 'detector',
  type: 'type',
  product_id: 'product_id',
  store_location: 'store_location',
  category: 'category',
  event_id: 'event_id',
  verdict: 'verdict',
  explanation: 'explanation',
};

export const ANOMALY_COLUMNS = `id, detector, type, severity, score, explanation, event_id, product_id, store_location,
  category, event_timestamp, detected_at, verdict, verdict_reason, verdict_at`;

export const AnomalyId = Type.String({ pattern: '^an-[0-9a-f-]{36}$' });

/**
 * `GET /api/anomalies` (newest event first unless sorted; searched with `q`) and `GET /api/anomalies/:id`: anomalies only, each with the
 * user's current verdict when there is one. Notes (weak detectors alone, findings under a threshold a verdict
 * raised) are at `/api/anomalies/notes`.
 */
export const anomaliesRoutes: FastifyPluginAsyncTypebox<{ db: SqliteDatabase }> = async (app, { db }) => {
  app.get('/api/anomalies', { schema: { querystring: AnomalyQuery } }, async (request) => {
    const q = request.query;
    const order = parseSort(q.sort, DEFAULT_ORDER, Object.keys(SORTS));
    const filters = whereOf(q);
    const params = {
      ...filters.params,
      severity: q.severity ?? null,
      verdict: q.verdict ?? null,
      q: likePattern(q.q),
    };
    const where = `WHERE ${filters.sql} AND (@severity IS NULL OR severity = @severity)
      AND (@verdict IS NULL OR verdict = @verdict OR (@verdict = 'none' AND verdict IS NULL))
      AND ${searchSql(['product_id', 'store_location', 'category', 'explanation', 'type'])}`;
    const list = { select: ANOMALY_COLUMNS, from: 'FROM anomalies', where, sorts: SORTS };
    const { rows, total } = selectPage<Record<string, unknown>>(db, list, order, params, q);
    return { items: rows.map(present), total };
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
