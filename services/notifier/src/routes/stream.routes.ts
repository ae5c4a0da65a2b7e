import sse, { type SSEPluginOptions } from '@fastify/sse';
import type { FastifyPluginAsync } from 'fastify';

// The package's module.exports is the plugin wrapped so that its route hook reaches the routes registered
// next to it; its named `fastifySSE` (and `.default`) is the bare function, whose hook stays in its own scope
// and never sees them. Imported from ESM, the default import is module.exports; its typings say otherwise.
const fastifySSE = sse as unknown as FastifyPluginAsync<SSEPluginOptions>;
import type { FastifyPluginAsyncTypebox, SqliteDatabase } from '@stockpulse/service-kit';

interface ChangeRow {
  id: number;
  state: string;
}

/** At most this many missed changes are replayed to a client reconnecting with Last-Event-ID. */
const REPLAY_LIMIT = 1000;

/**
 * `GET /api/notifications/stream`: Server-Sent Events, one `notification` event per change, its id the change's
 * id. A client reconnecting with `Last-Event-ID` gets the changes it missed first. Changes are read from the
 * store once committed (one poll every `pollMs` for all clients), so the stream never shows a change that was
 * rolled back.
 */
export const streamRoutes: FastifyPluginAsyncTypebox<{ db: SqliteDatabase; pollMs: number }> = async (
  app,
  { db, pollMs },
) => {
  await app.register(fastifySSE, { heartbeatInterval: 15_000 });
  const after = db.prepare<[number, number], ChangeRow>(
    'SELECT id, state FROM changes WHERE id > ? ORDER BY id LIMIT ?',
  );
  const latest = () => db.prepare('SELECT COALESCE(MAX(id), 0) FROM changes').pluck().get() as number;
  const clients = new Set<(rows: ChangeRow[]) => void>();
  const connections = new Set<() => void>();
  let cursor = latest();
  const timer = setInterval(() => {
    if (!clients.size) return void (cursor = latest());
    const rows = after.all(cursor, 500);
    if (!rows.length) return;
    cursor = rows.at(-1)!.id;
    for (const send of clients) send(rows);
  }, pollMs);
  // open streams would keep the server from closing: end them first (clients reconnect with Last-Event-ID)
  app.addHook('preClose', async () => {
    clearInterval(timer);
    for (const end of connections) end();
  });

  app.get('/api/notifications/stream', { sse: 'only' }, async (request, reply) => {
    const event = (r: ChangeRow) => ({
      id: String(r.id),
      event: 'notification',
      data: JSON.parse(r.state) as unknown,
    });
    // headers now: a handler that returns before its first event would otherwise get an empty 200 from Fastify
    reply.sse.sendHeaders();
    reply.sse.keepAlive();
    const since = Number(reply.sse.lastEventId);
    let sent = Number.isInteger(since) && since >= 0 && since <= cursor ? since : cursor;
    const send = (rows: ChangeRow[]) => {
      for (const r of rows) {
        if (r.id <= sent || !reply.sse.isConnected) continue;
        sent = r.id;
        reply.sse.send(event(r)).catch(() => reply.sse.close());
      }
    };
    // registered before the replay, so that a client gone during it is still closed on shutdown
    clients.add(send);
    // at shutdown: end the stream and drop its socket (a kept-alive socket would hold the server open)
    const end = () => {
      reply.sse.close();
      reply.raw.socket?.destroy();
    };
    connections.add(end);
    reply.sse.onClose(() => {
      clients.delete(send);
      connections.delete(end);
    });
    send(after.all(sent, REPLAY_LIMIT));
  });
};
