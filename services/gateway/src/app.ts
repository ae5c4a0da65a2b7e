import { createServiceApp, type ServiceApp, type ServiceDeps } from '@stockpulse/service-kit';
import type { GatewayConfig } from './config.js';
import { forwardRoutes } from './routes/forward.routes.js';
import { jobsRoutes } from './routes/jobs.routes.js';

/** gateway: the one public API, forwarding each route of INTERFACE.md to the service that owns it. */
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
  return app;
}
