import sse, { type SSEPluginOptions } from '@fastify/sse';
import type { FastifyPluginAsync } from 'fastify';
import type { ServiceApp } from '../http/create-app.js';

// The package's module.exports is the plugin wrapped so that its route hook reaches the routes registered
// next to it; its named `fastifySSE` (and `.default`) is the bare function, whose hook stays in its own scope
// and never sees them. Imported from ESM, the default import is module.exports; its typings say otherwise.
const fastifySSE = sse as unknown as FastifyPluginAsync<SSEPluginOptions>;

export interface StreamEvent {
  /** Increasing: the SSE event id a client gives back as Last-Event-ID. */
  id: number;
  event: string;
  data: unknown;
}

/** Where a stream's events come from: read after an id, oldest first. */
export interface StreamSource {
  after(id: number, limit: number): StreamEvent[];
  /** The newest id now (0 when none). */
  latest(): number;
}

export interface EventStreamOptions {
  path: string;
  source: StreamSource;
  /** How often the source is read for new events (once for all clients). */
  pollMs: number;
  /** At most this many missed events are replayed to a client reconnecting with Last-Event-ID. */
  replayLimit?: number;
}

/**
 * A Server-Sent Events route (`@fastify/sse`): each event of the source, live, to every client; a client
 * reconnecting with `Last-Event-ID` gets what it missed first. On shutdown the streams end and their sockets
 * go, so the server closes at once (clients reconnect elsewhere with their Last-Event-ID).
 */
export async function eventStream(app: ServiceApp, options: EventStreamOptions): Promise<void> {
  const { path, source, pollMs, replayLimit = 1000 } = options;
  await app.register(fastifySSE, { heartbeatInterval: 15_000 });
  const clients = new Set<(events: StreamEvent[]) => void>();
  const endings = new Set<() => void>();
  let cursor = source.latest();
  const timer = setInterval(() => {
    if (!clients.size) return void (cursor = source.latest());
    const events = source.after(cursor, 500);
    if (!events.length) return;
    cursor = events.at(-1)!.id;
    for (const send of clients) send(events);
  }, pollMs);
  app.addHook('preClose', async () => {
    clearInterval(timer);
    for (const end of endings) end();
  });

  app.get(path, { sse: 'only' }, async (_request, reply) => {
    // headers now: a handler that returns before its first event would otherwise get an empty 200 from Fastify
    reply.sse.sendHeaders();
    reply.sse.keepAlive();
    const since = Number(reply.sse.lastEventId);
    let sent = Number.isInteger(since) && since >= 0 && since <= cursor ? since : cursor;
    const send = (events: StreamEvent[]) => {
      for (const e of events) {
        if (e.id <= sent || !reply.sse.isConnected) continue;
        sent = e.id;
        reply.sse.send({ id: String(e.id), event: e.event, data: e.data }).catch(() => reply.sse.close());
      }
    };
    // registered before the replay, so that a client gone during it is still ended on shutdown
    const end = () => {
      reply.sse.close();
      reply.raw.socket?.destroy();
    };
    clients.add(send);
    endings.add(end);
    reply.sse.onClose(() => {
      clients.delete(send);
      endings.delete(end);
    });
    send(source.after(sent, replayLimit));
  });
}
