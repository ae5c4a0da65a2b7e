import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** Resolves when the dependency works; throws (or rejects) with the reason otherwise. */
export type ReadinessCheck = () => Promise<void> | void;

const CHECK_TIMEOUT_MS = 2000;

async function run(check: ReadinessCheck): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(check),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/health`: the process answers (liveness). `/ready`: every dependency works (the store, the bus, …);
 * 503 with each failing check's reason otherwise, so an orchestrator routes traffic elsewhere.
 */
export const healthPlugin = fp<{ service: string; checks: Record<string, ReadinessCheck> }>(
  async (app, { service, checks }) => {
    const started = Date.now();
    app.get('/health', async () => ({
      status: 'ok',
      service,
      uptime_s: Math.round((Date.now() - started) / 1000),
    }));
    app.get('/ready', async (_request, reply) => {
      const names = Object.keys(checks);
      const results = await Promise.all(names.map((name) => run(checks[name]!)));
      const failed = names
        .map((name, i) => [name, results[i]] as const)
        .filter(([, reason]) => reason !== null);
      const status = Object.fromEntries(names.map((name, i) => [name, results[i] ?? 'ok']));
      if (!failed.length) return { status: 'ready', service, checks: status };
      const reason = failed.map(([name, why]) => `${name}: ${why}`).join('; ');
      return reply.status(503).send({ status: 'not_ready', service, reason, checks: status });
    });
  },
  { name: 'stockpulse-health' },
) as FastifyPluginAsync<{ service: string; checks: Record<string, ReadinessCheck> }>;
