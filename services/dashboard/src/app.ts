import proxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import { createServiceApp, type ServiceApp, type ServiceDeps } from '@stockpulse/service-kit';
import { DIST, ensureBuilt } from './build.js';
import type { DashboardConfig } from './config.js';

/**
 * dashboard: serves the page (built with Vite from web/) and forwards its `/api` requests — the live stream
 * included — to the gateway, so the page talks only to the gateway, from one origin.
 */
export async function buildApp(deps: ServiceDeps, config: DashboardConfig): Promise<ServiceApp> {
  await ensureBuilt(deps.log);
  const app = await createServiceApp(deps, { name: 'dashboard' });
  await app.register(proxy, {
    upstream: config.GATEWAY_URL,
    prefix: '/api',
    rewritePrefix: '/api',
    disableRequestLogging: true,
    replyOptions: {
      onError: (reply) =>
        void reply.status(503).send({
          error: {
            code: 'SERVICE_UNAVAILABLE',
            message: `the gateway (${config.GATEWAY_URL}) is not answering`,
          },
        }),
    },
  });
  await app.register(fastifyStatic, { root: DIST, prefix: '/', index: 'index.html' });
  return app;
}
