import type { MessageBus } from '@stockpulse/bus';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { probeWrite, type SqliteDatabase } from '../database.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { healthPlugin, type ReadinessCheck } from '../plugins/health.js';
import { metricsPlugin } from '../plugins/metrics-route.js';
import swagger from '@fastify/swagger';
import { requireKeys, type AccessKeys } from './access.js';
import { answer413Early } from './early-413.js';
import { closeQuietSockets } from './quiet-sockets.js';
import type { ErrorBody } from './errors.js';
import { toFieldIssues, validatorCompiler } from './validation.js';

export type ServiceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What every service's `buildApp` receives; tests pass an EmbeddedBus on a temporary file and `:memory:`. */
export interface ServiceDeps {
  bus: MessageBus;
  log: Logger;
  metrics: Metrics;
  /** The service's own store; absent for stateless services (the gateway). */
  db?: SqliteDatabase;
  /** API keys from API_KEY / READ_API_KEY: checked on /api, and sent when calling another service. */
  keys?: AccessKeys;
  /** The partition this replica owns (PARTITIONS > 1, stateful services): its consumers read it alone. */
  partition?: number;
}

export interface ServiceAppOptions {
  name: string;
  /** Largest accepted body in bytes (413 above it). Default 1 MiB. */
  bodyLimit?: number;
  /** More readiness checks besides the store and the bus. */
  readiness?: Record<string, ReadinessCheck>;
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
};

/**
 * The Fastify instance every service starts from: TypeBox types, strict body validation, one error shape,
 * `/health`, `/ready`, `/metrics`. Services add their routes and consumers to it.
 */
export async function createServiceApp(deps: ServiceDeps, options: ServiceAppOptions): Promise<ServiceApp> {
  // typed as Fastify's logger, so the instance is the plain FastifyInstance every route file expects
  const logger: FastifyBaseLogger = deps.log;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // one line per request is too much at thousands of requests per second; errors are still logged
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    requestIdHeader: 'x-request-id',
    // Fastify's default (10 s) killed a forecaster at start once: eighteen processes starting on two cores
    // starve each other; a plugin that truly hangs still fails, after two minutes
    pluginTimeout: 120_000,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  requireKeys(app, deps.keys);
  answer413Early(app);
  closeQuietSockets(app);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    let body: ErrorBody;
    if (err.validation) {
      const details = toFieldIssues(err.validation as never, err.validationContext);
      const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
      body = { error: { code: 'VALIDATION_ERROR', message: `invalid request: ${summary}`, details } };
    } else if (status >= 500) {
      request.log.error({ err, req: { method: request.method, url: request.url } }, 'request failed');
      const code = status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR';
      body = { error: { code, message: status === 503 ? err.message : 'internal error' } };
    } else {
      const code = (err.code && FASTIFY_CODES[err.code]) ?? err.code ?? 'BAD_REQUEST';
      body = { error: { code, message: err.message } };
    }
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` },
    }),
  );

  // the OpenAPI document of every route registered after this, from the route schemas (the gateway merges them)
  await app.register(swagger, {
    openapi: { info: { title: `stockpulse ${options.name}`, version: '1' } },
    hideUntagged: false,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(metricsPlugin, { metrics: deps.metrics });
  await app.register(healthPlugin, {
    service: options.name,
    checks: {
      // a write, not a read: a locked or full store is not ready even though it still answers reads
      ...(deps.db ? { store: () => probeWrite(deps.db!) } : {}),
      bus: () => deps.bus.ping(),
      ...options.readiness,
    },
  });
  return app;
}
