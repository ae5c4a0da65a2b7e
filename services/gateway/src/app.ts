import {
  createServiceApp,
  eventStream,
  isOn,
  type ServiceApp,
  type ServiceDeps,
} from '@stockpulse/service-kit';
import type { GatewayConfig } from './config.js';
import { topicRelay } from './relay.js';
import { docsRoutes } from './routes/docs.routes.js';
import { forwardRoutes } from './routes/forward.routes.js';
import { jobsRoutes } from './routes/jobs.routes.js';
import { overviewRoutes } from './routes/overview.routes.js';
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
  await app.register(forwardRoutes, { upstreams, timeoutMs: config.GATEWAY_TIMEOUT_MS });
  await app.register(jobsRoutes, { upstreams, timeoutMs: config.GATEWAY_TIMEOUT_MS });
  await app.register(overviewRoutes, { upstreams, timeoutMs: config.OVERVIEW_TIMEOUT_MS });
  await app.register(testModeRoutes, {
    upstreams,
    enabled: isOn(config.TEST_MODE),
    timeoutMs: config.GATEWAY_TIMEOUT_MS,
  });
  await eventStream(app, { path: '/api/stream', source: topicRelay(app, deps), pollMs: 100 });
  await docsRoutes(app, upstreams);
  return app;
}
