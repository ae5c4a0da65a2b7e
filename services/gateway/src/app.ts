import {
  createServiceApp,
  eventStream,
  isOn,
  keyHeaders,
  replicaUrls,
  type ServiceApp,
  type ServiceDeps,
} from '@stockpulse/service-kit';
import rateLimit from '@fastify/rate-limit';
import { PARTITIONED_SERVICES, topicOfPartition } from '@stockpulse/contracts';
import type { GatewayConfig } from './config.js';
import { topicRelay } from './relay.js';
import { deadLetterSummary, dlqRoutes } from './routes/dlq.routes.js';
import { docsRoutes } from './routes/docs.routes.js';
import { forwardRoutes } from './routes/forward.routes.js';
import { jobsRoutes } from './routes/jobs.routes.js';
import { ingestionRoutes } from './routes/ingestion.routes.js';
import { overviewRoutes } from './routes/overview.routes.js';
import { partitionedRoutes } from './routes/partitioned.routes.js';
import { testModeRoutes } from './routes/test-mode.routes.js';

/**
 * gateway: the one public API — each route of INTERFACE.md forwarded to the service that owns it, plus the
 * overview of all of them, the live stream of their topics and test mode.
 */
export async function buildApp(deps: ServiceDeps, config: GatewayConfig): Promise<ServiceApp> {
  const app = await createServiceApp(deps, { name: 'gateway', bodyLimit: config.GATEWAY_MAX_BODY_BYTES });
  const upstreams = {
    ingest: config.INGEST_URL,
    processor: config.PROCESSOR_URL,
    forecaster: config.FORECASTER_URL,
    anomaly: config.ANOMALY_URL,
    notifier: config.NOTIFIER_URL,
  };
  // calls of its own to the services carry the platform's key; forwarded requests carry the client's
  const headers = keyHeaders(deps.keys);
  // per client address, on the public API only (operations endpoints and the live stream's long request aside)
  await app.register(rateLimit, {
    max: config.GATEWAY_RATE_LIMIT,
    timeWindow: 60_000,
    allowList: (request) => !request.url.startsWith('/api/') || request.url.startsWith('/api/stream'),
    // thrown: the kit's error handler gives it the usual error shape
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new Error(
          `more than ${context.max} requests a minute from this address; retry in ${Math.ceil(context.ttl / 1000)} s`,
        ),
        { statusCode: 429, code: 'RATE_LIMITED' },
      ),
  });
  const partitioned = config.PARTITIONS > 1 ? PARTITIONED_SERVICES : [];
  const listed: Record<string, string | undefined> = {
    processor: config.PROCESSOR_URLS,
    forecaster: config.FORECASTER_URLS,
    anomaly: config.ANOMALY_URLS,
    notifier: config.NOTIFIER_URLS,
  };
  const replicas = Object.fromEntries(
    partitioned.map((s) => [
      s,
      replicaUrls(upstreams[s as keyof typeof upstreams], config.PARTITIONS, listed[s]),
    ]),
  );
  await app.register(forwardRoutes, { upstreams, timeoutMs: config.GATEWAY_TIMEOUT_MS, except: partitioned });
  if (partitioned.length) {
    const options = { replicas, partitions: config.PARTITIONS, timeoutMs: config.GATEWAY_TIMEOUT_MS };
    await app.register(partitionedRoutes, options);
  }
  await app.register(jobsRoutes, { upstreams, timeoutMs: config.GATEWAY_TIMEOUT_MS, headers, replicas });
  await app.register(overviewRoutes, {
    upstreams,
    timeoutMs: config.OVERVIEW_TIMEOUT_MS,
    maxAgeMs: config.OVERVIEW_MAX_AGE_MS,
    headers,
    deadLetters: () => deadLetterSummary(deps.bus),
    replicas,
  });
  await app.register(ingestionRoutes, {
    upstreams,
    processors: replicas.processor,
    timeoutMs: config.OVERVIEW_TIMEOUT_MS,
    headers,
    deadLettered: async () =>
      (await deadLetterSummary(deps.bus)).queues
        .filter(
          (q) =>
            topicOfPartition(q.origin_topic) === 'stockpulse.inventory-events' &&
            q.subscription === 'processor',
        )
        .reduce((sum, q) => sum + q.depth, 0),
  });
  await app.register(dlqRoutes, { bus: deps.bus });
  await app.register(testModeRoutes, {
    upstreams,
    enabled: isOn(config.TEST_MODE),
    timeoutMs: config.GATEWAY_TIMEOUT_MS,
    headers,
  });
  await eventStream(app, { path: '/api/stream', source: topicRelay(app, deps), pollMs: 100 });
  await docsRoutes(app, upstreams);
  return app;
}
