import swaggerUi from '@fastify/swagger-ui';
import type { ServiceApp } from '@stockpulse/service-kit';
import { ROUTES } from './forward.routes.js';

type Spec = { paths?: Record<string, Record<string, Record<string, unknown>>> };

/**
 * `GET /docs`: the OpenAPI UI over the whole public API — the gateway's own routes and every route it forwards,
 * each taken from the owning service's `/openapi.json` (generated there from its route schemas) and tagged
 * with that service. Refreshed every `refreshMs` (every 2 s while one is missing); a service that is down keeps
 * its last document.
 */
export async function docsRoutes(app: ServiceApp, upstreams: Record<string, string>, refreshMs = 60_000) {
  const documents = new Map<string, Spec>();
  const refresh = () =>
    Promise.all(
      Object.entries(upstreams).map(async ([service, url]) => {
        try {
          const res = await fetch(`${url}/openapi.json`, { signal: AbortSignal.timeout(2000) });
          if (res.ok) documents.set(service, (await res.json()) as Spec);
        } catch {
          // down: its last document stays
        }
      }),
    );
  // every 2 s while a service's document is missing (services start in any order), then every refreshMs
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loop = async () => {
    await refresh();
    if (stopped) return;
    const missing = documents.size < Object.keys(upstreams).length;
    timer = setTimeout(() => void loop(), missing ? Math.min(2000, refreshMs) : refreshMs);
  };
  app.addHook('onReady', async () => void loop());
  app.addHook('preClose', async () => {
    stopped = true;
    clearTimeout(timer);
  });

  const forwarded = (service: string, path: string) =>
    ROUTES.some((r) => r.service === service && (path === r.prefix || path.startsWith(`${r.prefix}/`)));

  await app.register(swaggerUi, {
    routePrefix: '/docs',
    transformSpecificationClone: true,
    transformSpecification: (own) => {
      const spec = own as Spec & Record<string, unknown>;
      const paths: NonNullable<Spec['paths']> = {};
      for (const [path, ops] of Object.entries(spec.paths ?? {})) {
        if (path.startsWith('/api/')) paths[path] = tag(ops, 'gateway');
      }
      for (const [service, doc] of documents) {
        for (const [path, ops] of Object.entries(doc.paths ?? {})) {
          if (forwarded(service, path)) paths[path] = tag(ops, service);
        }
      }
      return { ...spec, info: { title: 'stockpulse API', version: '1' }, paths };
    },
  });
}

const tag = (ops: Record<string, Record<string, unknown>>, service: string) =>
  Object.fromEntries(Object.entries(ops).map(([method, op]) => [method, { ...op, tags: [service] }]));
