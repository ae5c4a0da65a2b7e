import type { FastifyPluginAsyncTypebox } from '@stockpulse/service-kit';

/** How far back the applied rate is measured. */
const RATE_WINDOW_MS = 30_000;

interface Reading {
  at: number;
  applied: number;
}

/**
 * `GET /api/ingestion`: the progress of what was sent — events accepted by ingest (`received`), applied by the
 * processor (`applied`), dead-lettered by it, `left` to apply, the applied rate over the last 30 s and, while
 * something is left, an estimate of when it will be done. Read from the two services each time (two cheap
 * reads); a service that does not answer makes it 503 naming the service, never a guess.
 */
export const ingestionRoutes: FastifyPluginAsyncTypebox<{
  upstreams: Record<string, string>;
  timeoutMs: number;
  headers: Record<string, string>;
  /** Messages of the events topic the processor dead-lettered (they will not be applied). */
  deadLettered: () => Promise<number>;
  /** The processor's replicas (PARTITIONS > 1): what each applied is added up. */
  processors?: string[] | undefined;
}> = async (app, { upstreams, timeoutMs, headers, deadLettered, processors }) => {
  const readings: Reading[] = [];
  const read = async <T>(service: string, path: string, base = upstreams[service]): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`answered ${res.status}`);
    return (await res.json()) as T;
  };

  app.get('/api/ingestion', async (_request, reply) => {
    let stats: { total: number };
    let progress: { events_applied: number };
    let dead: number;
    try {
      [stats, progress, dead] = await Promise.all([
        read<{ total: number }>('ingest', '/api/events/stats').catch((err: Error) => {
          throw new Error(`ingest: ${err.message}`);
        }),
        Promise.all(
          (processors ?? [upstreams.processor!]).map((base) =>
            read<{ events_applied: number }>('processor', '/api/inventory/progress', base),
          ),
        )
          .then((parts) => ({ events_applied: parts.reduce((sum, p) => sum + p.events_applied, 0) }))
          .catch((err: Error) => {
            throw new Error(`processor: ${err.message}`);
          }),
        deadLettered(),
      ]);
    } catch (err) {
      return reply.code(503).send({
        error: { code: 'UPSTREAM_UNAVAILABLE', message: `progress unknown: ${(err as Error).message}` },
      });
    }
    const now = Date.now();
    const applied = progress.events_applied;
    readings.push({ at: now, applied });
    while (readings.length > 2 && readings[0]!.at < now - RATE_WINDOW_MS) readings.shift();
    const first = readings[0]!;
    const seconds = (now - first.at) / 1000;
    const rate = seconds >= 1 ? Math.max(0, applied - first.applied) / seconds : 0;
    const left = Math.max(0, stats.total - applied - dead);
    return {
      received: stats.total,
      applied,
      dead_lettered: dead,
      left,
      applied_per_second: Math.round(rate * 10) / 10,
      eta_seconds: left > 0 && rate > 0 ? Math.ceil(left / rate) : left === 0 ? 0 : null,
      measured_at: new Date(now).toISOString(),
    };
  });
};
