import type { FastifyInstance, FastifyRequest } from 'fastify';

const PASSED = ['authorization', 'x-api-key'];
const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/notifications/stream` with PARTITIONS > 1: every replica's stream as one. An event's id is the
 * list of each replica's latest id (`12.40.7`; empty where a replica has sent nothing yet), so a client that
 * reconnects with it as Last-Event-ID gets from each replica what it missed there. When one replica's stream
 * ends or fails the client's ends too, and it reconnects (EventSource does) with its Last-Event-ID.
 */
export function mergedStream(app: FastifyInstance, path: string, replicas: string[]): void {
  app.get(path, async (request: FastifyRequest, reply) => {
    const given = String(request.headers['last-event-id'] ?? '').split('.');
    const seen = replicas.map((_, i) =>
      given.length === replicas.length && /^\d+$/.test(given[i]!) ? given[i]! : '',
    );
    const headers = Object.fromEntries(
      PASSED.flatMap((h) => (typeof request.headers[h] === 'string' ? [[h, request.headers[h]]] : [])),
    );
    const aborts = new AbortController();
    const opened = await Promise.all(
      replicas.map((r, i) =>
        fetch(`${r}${path}`, {
          headers: {
            ...headers,
            accept: 'text/event-stream',
            ...(seen[i] ? { 'last-event-id': seen[i] } : {}),
          },
          signal: aborts.signal,
        }).catch((err: Error) => err),
      ),
    );
    const failed = opened.find((res) => res instanceof Error || !res.ok);
    if (failed) {
      aborts.abort();
      const status = failed instanceof Error ? 502 : failed.status;
      const message = failed instanceof Error ? failed.message : `a replica answered ${failed.status}`;
      return reply
        .status(status)
        .send({ error: { code: 'UPSTREAM_UNAVAILABLE', message: `${path}: ${message}` } });
    }
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const end = () => {
      clearInterval(heartbeat);
      aborts.abort();
      out.end();
    };
    out.on('close', end);
    (opened as Response[]).forEach((res, i) => {
      void (async () => {
        let buffer = '';
        for await (const chunk of res.body! as AsyncIterable<Uint8Array>) {
          buffer += Buffer.from(chunk).toString('utf8');
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const field = (name: string) =>
              block
                .split('\n')
                .filter((l) => l.startsWith(`${name}:`))
                .map((l) => l.slice(name.length + 1).trimStart());
            const data = field('data');
            if (!data.length) continue; // a comment (heartbeat)
            seen[i] = field('id')[0] ?? seen[i]!;
            const event = field('event')[0];
            out.write(
              `id: ${seen.join('.')}\n${event ? `event: ${event}\n` : ''}${data.map((d) => `data: ${d}\n`).join('')}\n`,
            );
          }
        }
      })()
        .catch(() => {})
        .finally(end);
    });
  });
}
