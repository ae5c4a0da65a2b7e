import type { ServiceApp } from './create-app.js';

/** Bodies up to this many times the limit are read and thrown away after a 413; larger ones close the connection. */
const DRAIN_FACTOR = 8;

/**
 * Answers 413 as soon as the declared `content-length` is over the route's body limit, before the body is read.
 *
 * Fastify's own check answers with `connection: close` while the client is still sending, so many clients
 * (undici among them) see a broken pipe instead of the 413. Here the answer keeps the connection and Node reads
 * and discards the rest of the body, so the client gets the answer; absurd sizes still close the connection.
 */
export function answer413Early(app: ServiceApp): void {
  app.addHook('onRequest', async (request, reply) => {
    const declared = Number(request.headers['content-length']);
    const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? Infinity;
    if (!(declared > limit)) return;
    if (declared > limit * DRAIN_FACTOR) reply.header('connection', 'close');
    return reply.status(413).send({
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: `request body is ${declared} bytes; the limit is ${limit} bytes`,
      },
    });
  });
}
