import proxy from '@fastify/http-proxy';
import helmet from '@fastify/helmet';
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
  // the gateway checks the API keys; here only the read key is added to the page's reads (the live stream
  // cannot send headers), while writes carry the key the user typed into the page
  const { keys, ...open } = deps;
  const app = await createServiceApp(open, { name: 'dashboard' });
  const readKey = keys?.readApiKey;
  // only its own scripts; the charts set inline styles, so style attributes are allowed, scripts never are
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
  });
  await app.register(proxy, {
    upstream: config.GATEWAY_URL,
    prefix: '/api',
    rewritePrefix: '/api',
    disableRequestLogging: true,
    replyOptions: {
      rewriteRequestHeaders: (request, headers) =>
        readKey && request.method === 'GET' && !headers['x-api-key']
          ? { ...headers, 'x-api-key': readKey }
          : headers,
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
