import { coalesced } from '../coalesce.js';
import type { FastifyPluginAsyncTypebox } from '@stockpulse/service-kit';

type Upstreams = Record<string, string>;

interface Status {
  status: 'up' | 'down' | 'not ready';
  latency_ms: number;
  detail?: unknown;
}

/** GET `url` as JSON within `timeoutMs`; undefined (and why, in `errors`) when it cannot. */
async function read<T>(
  url: string,
  timeoutMs: number,
  errors: string[],
  what: string,
  headers: Record<string, string>,
): Promise<T | undefined> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`answered ${res.status}`);
    return (await res.json()) as T;
  } catch (err) {
    errors.push(
      `${what}: ${(err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message}`,
    );
    return undefined;
  }
}

/** Several replicas' answers as one: numbers added (money kept to cents), times the latest, anything else the first. */
export function addUp<T extends Record<string, unknown>>(parts: readonly T[]): T {
  const sum: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      const had = sum[k];
      if (typeof v === 'number')
        sum[k] = Math.round(((had as number | undefined) ?? 0) * 100 + v * 100) / 100;
      else if (typeof v === 'string' && (typeof had !== 'string' || v > had)) sum[k] = v;
      else if (had === undefined || had === null) sum[k] = v;
    }
  }
  return sum as T;
}

async function statusOf(url: string, timeoutMs: number): Promise<Status> {
  const started = performance.now();
  try {
    const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    const latency_ms = Math.round(performance.now() - started);
    const detail: unknown = await res.json().catch(() => undefined);
    return { status: res.ok ? 'up' : 'not ready', latency_ms, ...(res.ok ? {} : { detail }) };
  } catch (err) {
    return {
      status: 'down',
      latency_ms: Math.round(performance.now() - started),
      detail: (err as Error).message,
    };
  }
}

/**
 * `GET /api/overview`: every service's readiness, the KPI tiles, each from the service that owns it, and the
 * dead letters per subscription, all at once with a timeout. Requests within `maxAgeMs` of the last reading
 * share it (`generated_at` says when it was made), and up to five times that it is given at once while a
 * new one is made, so a busy dashboard costs the services one reading a second and never waits for it. A service that is down leaves its tiles null and says so in `unavailable`; the
 * answer is never an error as a whole.
 */
export const overviewRoutes: FastifyPluginAsyncTypebox<{
  upstreams: Upstreams;
  timeoutMs: number;
  headers: Record<string, string>;
  /** How old an answer may be before the next request reads the services again (0: every request does). */
  maxAgeMs: number;
  /** Dead letters per subscription, from the bus. */
  deadLetters: () => Promise<{ total: number; queues: unknown[] }>;
  /** Replicas of each partitioned service (PARTITIONS > 1): their parts of each tile are added up. */
  replicas?: Record<string, string[]>;
}> = async (app, { upstreams, timeoutMs, headers, maxAgeMs, deadLetters, replicas = {} }) => {
  /** A service's answer, or the sum of its replicas' (numbers added, the latest time kept). */
  const readAll = async <T extends Record<string, unknown>>(
    service: string,
    path: string,
    errors: string[],
  ) => {
    const bases = replicas[service] ?? [upstreams[service]!];
    const parts = await Promise.all(
      bases.map((b) => read<T>(`${b}${path}`, timeoutMs, errors, service, headers)),
    );
    return parts.some((p) => p === undefined) ? undefined : addUp(parts as T[]);
  };
  const overview = coalesced(
    async () => {
      const errors: string[] = [];
      const [statuses, stock, events, open, critical, anomalies, dead] = await Promise.all([
        Promise.all(
          Object.entries(upstreams).map(
            async ([name, url]) => [name, await statusOf(url, timeoutMs)] as const,
          ),
        ),
        readAll<Record<string, unknown>>('processor', '/api/inventory/summary', errors),
        read<Record<string, unknown>>(
          `${upstreams.ingest}/api/events/stats`,
          timeoutMs,
          errors,
          'ingest',
          headers,
        ),
        readAll<{ total: number }>('notifier', '/api/notifications?status=open&limit=1', errors),
        readAll<{ total: number }>(
          'notifier',
          '/api/notifications?status=open&severity=critical&limit=1',
          [],
        ),
        readAll<{ total: number }>('anomaly', '/api/anomalies?limit=1&severity=critical', errors),
        Promise.race([
          deadLetters(),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
          ),
        ]).catch((err: unknown) => {
          errors.push(`bus: ${(err as Error).message}`);
          return null;
        }),
      ]);
      return {
        generated_at: new Date().toISOString(),
        services: Object.fromEntries(statuses),
        kpis: {
          total_stock_value: stock?.stock_value ?? null,
          products: stock?.products ?? null,
          products_low: stock?.low_stock ?? null,
          products_out: stock?.out_of_stock ?? null,
          open_alerts: open?.total ?? null,
          critical_alerts: critical?.total ?? null,
          critical_anomalies: anomalies?.total ?? null,
          events_per_second: events?.events_per_second ?? null,
          events_total: events?.total ?? null,
          // freshness from the data: the newest event time the processor has applied, and ingest has accepted
          latest_event_at: stock?.latest_event_at ?? null,
          latest_received_at: events?.latest_received_at ?? null,
        },
        dead_letters: dead,
        ...(errors.length ? { unavailable: errors } : {}),
      };
    },
    { maxAgeMs, staleMs: 5 * maxAgeMs },
  );
  app.get('/api/overview', () => overview());
};
