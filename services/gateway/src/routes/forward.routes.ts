import proxy from '@fastify/http-proxy';
import type { FastifyPluginAsync } from 'fastify';
import { Readable } from 'node:stream';

/** The services behind the gateway and where each one answers. */
export type Upstreams = Record<string, string>;

/**
 * Each public route prefix of INTERFACE.md and the service that owns it. Later services add theirs here.
 * `/api/jobs` is not one prefix: see jobs.routes.ts.
 */
export const ROUTES: readonly { prefix: string; service: string }[] = [
  { prefix: '/api/events', service: 'ingest' },
  { prefix: '/api/generate', service: 'ingest' },
  { prefix: '/api/labels', service: 'ingest' },
  { prefix: '/api/inventory', service: 'processor' },
  { prefix: '/api/metrics', service: 'processor' },
  { prefix: '/api/forecasts', service: 'forecaster' },
  { prefix: '/api/models', service: 'forecaster' },
  { prefix: '/api/replenishment', service: 'forecaster' },
  { prefix: '/api/anomalies', service: 'anomaly' },
  { prefix: '/api/notifications', service: 'notifier' },
  { prefix: '/api/webhooks', service: 'notifier' },
  { prefix: '/api/mutes', service: 'notifier' },
];

const UNAVAILABLE = { status: 503, code: 'SERVICE_UNAVAILABLE', what: 'is not answering' };
const TIMEOUT = { status: 504, code: 'GATEWAY_TIMEOUT', what: 'took too long to answer' };

/** What a forwarding failure means for the client: the service is down (503), too slow (504), or worse (502). */
function classify(error: Error & { code?: string; cause?: unknown }) {
  const codes = [error.code, error.name, (error.cause as { code?: string } | undefined)?.code];
  if (codes.some((c) => c && /TIMEOUT|TimeoutError/.test(c))) return TIMEOUT;
  if (
    codes.some(
      (c) => c && /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|UND_ERR_SOCKET|SERVICE_UNAVAILABLE/.test(c),
    )
  ) {
    return UNAVAILABLE;
  }
  return { status: 502, code: 'BAD_GATEWAY', what: 'failed' };
}

/** The answer to a request a service could not answer: its status and error body, naming the service. */
export function upstreamFailure(service: string, upstream: string, error: Error) {
  const known = classify(error);
  return {
    status: known.status,
    body: {
      error: {
        code: known.code,
        message: `${service} ${known.what} (${upstream}); other services are unaffected`,
        details: { service },
      },
    },
  };
}

/**
 * Forwards every route to its owner, bodies streamed as they are (CSV and NDJSON included), answers and
 * status codes passed back unchanged. A service that is down gives 503 (504 when too slow) naming it, for its
 * own routes only.
 */
export const forwardRoutes: FastifyPluginAsync<{
  upstreams: Upstreams;
  timeoutMs: number;
  /** Services answered elsewhere (partitioned.routes.ts, with PARTITIONS > 1). */
  except?: readonly string[];
}> = async (app, { upstreams, timeoutMs, except = [] }) => {
  // bodies are read whole (up to the gateway's body limit: 413 before anything is forwarded) and sent on as
  // the bytes they were, whatever their type: CSV and NDJSON as well as JSON, never parsed here
  app.removeAllContentTypeParsers();
  // (handed on as a stream: reply-from would re-encode a JSON body given as a value)
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, Readable.from([body])),
  );
  for (const { prefix, service } of ROUTES.filter((r) => !except.includes(r.service))) {
    const upstream = upstreams[service];
    if (!upstream) throw new Error(`no URL for ${service}, which owns ${prefix}`);
    await app.register(proxy, {
      upstream,
      prefix,
      rewritePrefix: prefix,
      proxyPayloads: false,
      disableRequestLogging: true, // one line per forwarded request is too much; failures are logged below
      http: { requestOptions: { timeout: timeoutMs } },
      replyOptions: {
        onError: (reply, { error }: { error: Error & { code?: string } }) => {
          reply.log.warn({ err: error, service, upstream }, 'forwarding failed');
          const failure = upstreamFailure(service, upstream, error);
          void reply.status(failure.status).send(failure.body);
        },
      },
    });
  }
};
