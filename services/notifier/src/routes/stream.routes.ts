import {
  eventStream,
  type ServiceApp,
  type SqliteDatabase,
  type StreamSource,
} from '@stockpulse/service-kit';

/**
 * `GET /api/notifications/stream`: Server-Sent Events, one `notification` event per change, its id the change's
 * id. Changes are read from the store once committed, so the stream never shows a change that was rolled back.
 */
export async function notificationStream(app: ServiceApp, db: SqliteDatabase, pollMs: number): Promise<void> {
  const after = db.prepare<[number, number], { id: number; state: string }>(
    'SELECT id, state FROM changes WHERE id > ? ORDER BY id LIMIT ?',
  );
  const source: StreamSource = {
    after: (id, limit) =>
      after
        .all(id, limit)
        .map((r) => ({ id: r.id, event: 'notification', data: JSON.parse(r.state) as unknown })),
    latest: () => db.prepare('SELECT COALESCE(MAX(id), 0) FROM changes').pluck().get() as number,
  };
  await eventStream(app, { path: '/api/notifications/stream', source, pollMs });
}
