import proxy from '@fastify/http-proxy';
import type { FastifyPluginAsync } from 'fastify';

/** The services behind the gateway and where each one answers. */
export type Upstreams = Record<string, string>;

/** Each public route prefix of INTERFACE.md and the service that owns it. Later services add theirs here. */
export const ROUTES: readonly { prefix: string; service: string }[] = [
  { prefix: '/api/events', service: 'ingest' },
  { prefix: '/api/generate', service: 'ingest' },
  { prefix: '/api/jobs', service: 'ingest' },
  { prefix: '/api/labels', service: 'ingest' },
  { prefix: '/api/inventory', service: 'processor' },
  { prefix: '/api/metrics', service: 'processor' },
];

const STATUS: Record<string, { status: number; code: string; what: string }> = {
  FST_REPLY_FROM_SERVICE_UNAVAILABLE: { status: 503, code: 'SERVICE_UNAVAILABLE', what: 'is not answering' },
  FST_REPLY_FROM_GATEWAY_TIMEOUT: { status: 504, code: 'GATEWAY_TIMEOUT', what: 'took too long to answer' },
  FST_REPLY_FROM_CONNECT_TIMEOUT: {
    status: 504,
    code: 'GATEWAY_TIMEOUT',
    what: 'did not accept the connection in time',
  },
};

/**
 * Forwards every route to its owner, bodies streamed as they are (CSV and NDJSON included), answers and
 * status codes passed back unchanged. A service that is down gives 503 (504 when too slow) naming it, for its
 * own routes only.
 */
export const forwardRoutes: FastifyPluginAsync<{ upstreams: Upstreams; timeoutMs: number }> = async (
  app,
  { upstreams, timeoutMs },
) => {
  for (const { prefix, service } of ROUTES) {
    const upstream = upstreams[service];
    if (!upstream) throw new Error(`no URL for ${service}, which owns ${prefix}`);
    await app.register(proxy, {
      upstream,
      prefix,
      rewritePrefix: prefix,
      disableRequestLogging: true, // one line per forwarded request is too much; failures are logged below
      http: { requestOptions: { timeout: timeoutMs } },
      replyOptions: {
        onError: (reply, { error }: { error: Error & { code?: string } }) => {
          const known = STATUS[error.code ?? ''] ?? { status: 502, code: 'BAD_GATEWAY', what: 'failed' };
          reply.log.warn({ err: error, service, upstream }, 'forwarding failed');
          void reply.status(known.status).send({
            error: {
              code: known.code,
              message: `${service} ${known.what} (${upstream}); other services are unaffected`,
              details: { service },
            },
          });
        },
      },
    });
  }
};
