import { createServiceApp, type ServiceApp, type ServiceDeps } from '@stockpulse/service-kit';
import type { GatewayConfig } from './config.js';
import { forwardRoutes } from './routes/forward.routes.js';

/** gateway: the one public API, forwarding each route of INTERFACE.md to the service that owns it. */
export async function buildApp(deps: ServiceDeps, config: GatewayConfig): Promise<ServiceApp> {
  const app = await createServiceApp(deps, { name: 'gateway', bodyLimit: config.GATEWAY_MAX_BODY_BYTES });
  await app.register(forwardRoutes, {
    upstreams: { ingest: config.INGEST_URL, processor: config.PROCESSOR_URL },
    timeoutMs: config.GATEWAY_TIMEOUT_MS,
  });
  return app;
}
