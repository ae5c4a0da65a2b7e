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
import { toPayload, type NotificationRow } from '../db/notifications.repository.js';
import type { Action } from '../domain/lifecycle.js';
import type { Notifications } from '../notifications.js';

const Name = Type.String({ minLength: 1, maxLength: 128 });
export const NotificationId = Type.Object({ id: Type.String({ pattern: '^nt-[0-9a-f-]{36}$' }) });

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['open', 'acknowledged', 'resolved', 'snoozed'])),
    severity: Type.Optional(Type.Enum(['info', 'warning', 'critical'])),
    store: Type.Optional(Name),
    category: Type.Optional(Name),
    product: Type.Optional(Name),
    type: Type.Optional(Type.String({ pattern: '^[a-z_]{1,64}$' })),
    q: SearchParam,
    sort: SortParam,
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

const DEFAULT_ORDER: Order = [
  ['last_seen', -1],
  ['id', 1],
];

/**
 * The columns `sort` takes; severity by rank (info < warning < critical), as the gateway merges it. The default
 * order is the `notifications_by_time` index; any other sort reads every notification the filters leave and
 * sorts them — one per live cause and the resolved ones kept, thousands per replica, a few ms.
 */
const SORTS: Record<string, string> = {
  last_seen: 'last_seen',
  first_seen: 'first_seen',
  created_at: 'created_at',
  updated_at: 'updated_at',
  id: 'id',
  severity: SEVERITY_RANK_SQL,
  status: 'status',
  type: 'type',
  title: 'title',
  count: '"count"',
  store_location: 'store_location',
  category: 'category',
  product_id: 'product_id',
};

const Who = {
  by: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
};
const ActBody = Type.Union([Type.Object(Who, { additionalProperties: false }), Type.Null()]);
const SnoozeBody = Type.Object(
  {
    until: Type.String({ format: 'date-time', description: 'when it opens again (at most 30 days ahead)' }),
    ...Who,
  },
  { additionalProperties: false },
);

const stored = (r: Record<string, unknown>) =>
  ({
    ...r,
    products: JSON.parse(r.products as string) as string[],
    anomaly_ids: JSON.parse(r.anomaly_ids as string) as string[],
  }) as NotificationRow;

/**
 * `GET /api/notifications` (latest first unless sorted; searched with `q`), `GET /api/notifications/:id` (with its
 * history), and ack / resolve / snooze.
 */
export const notificationsRoutes: FastifyPluginAsyncTypebox<{
  db: SqliteDatabase;
  notifications: Notifications;
}> = async (app, { db, notifications }) => {
  app.get('/api/notifications', { schema: { querystring: ListQuery } }, async (request) => {
    const q = request.query;
    const order = parseSort(q.sort, DEFAULT_ORDER, Object.keys(SORTS));
    const params = {
      q: likePattern(q.q),
      status: q.status ?? null,
      severity: q.severity ?? null,
      store: q.store ?? null,
      category: q.category ?? null,
      product: q.product ?? null,
      type: q.type ?? null,
    };
    const where = `WHERE (@status IS NULL OR status = @status) AND (@severity IS NULL OR severity = @severity)
      AND (@store IS NULL OR store_location = @store) AND (@category IS NULL OR category = @category)
      AND (@product IS NULL OR product_id = @product OR products LIKE '%"' || @product || '"%')
      AND (@type IS NULL OR type = @type)
      AND ${searchSql(['title', 'message', 'product_id', 'store_location', 'category'])}`;
    const list = { select: '*', from: 'FROM notifications', where, sorts: SORTS };
    const { rows, total } = selectPage<Record<string, unknown>>(db, list, order, params, q);
    return { items: rows.map((r) => toPayload(stored(r), 'current')), total };
  });

  app.get('/api/notifications/:id', { schema: { params: NotificationId } }, async (request, reply) => {
    const n = notifications.repo.get(request.params.id);
    if (!n)
      return reply
        .status(404)
        .send({ error: { code: 'NOT_FOUND', message: `no notification ${request.params.id}` } });
    const history = db
      .prepare(
        'SELECT id, change, status, actor, note, at FROM changes WHERE notification_id = ? ORDER BY id',
      )
      .all(n.id);
    return { ...toPayload(n, 'current'), history };
  });

  const act =
    (action: Action) =>
    async (
      request: { params: { id: string }; body: { by?: string; note?: string; until?: string } | null },
      reply: { status(code: number): { send(body: unknown): unknown } },
    ) => {
      const body = request.body ?? {};
      if (action === 'snooze') {
        const until = Date.parse(body.until!);
        if (!(until > Date.now()) || until > Date.now() + 30 * 86_400_000) {
          return reply.status(400).send({
            error: {
              code: 'VALIDATION_ERROR',
              message: 'until must be a time in the future, at most 30 days ahead',
            },
          });
        }
      }
      const until = body.until ? new Date(body.until).toISOString() : undefined;
      const result = notifications.act(request.params.id, action, body.by ?? null, body.note ?? null, until);
      if ('ok' in result) return result.ok;
      const code = result.status === 404 ? 'NOT_FOUND' : 'CONFLICT';
      return reply.status(result.status).send({ error: { code, message: result.message } });
    };
  app.post('/api/notifications/:id/ack', { schema: { params: NotificationId, body: ActBody } }, act('ack'));
  app.post(
    '/api/notifications/:id/resolve',
    { schema: { params: NotificationId, body: ActBody } },
    act('resolve'),
  );
  app.post(
    '/api/notifications/:id/snooze',
    { schema: { params: NotificationId, body: SnoozeBody } },
    act('snooze'),
  );
};
