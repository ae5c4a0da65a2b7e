import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { upstreamFailure, type Upstreams } from './forward.routes.js';

/** The services that run jobs; a job id starts with its service's name (`forecaster-…`). */
export const JOB_SERVICES = ['ingest', 'forecaster'] as const;

interface Job {
  id: string;
  status: string;
  done: number;
  total: number;
  progress: number;
  created_at: string;
  result?: unknown;
  error?: string;
  [field: string]: unknown;
}

interface JobList {
  items: Job[];
}

/**
 * One job run on several replicas under one id, as one job: failed or cancelled if any part was, running
 * while any part is (queued while all are), its done and total added up, and a result's counts too.
 */
export function mergeJob(parts: readonly Job[]): Job {
  const has = (status: string) => parts.some((p) => p.status === status);
  const status = has('failed')
    ? 'failed'
    : has('cancelled')
      ? 'cancelled'
      : parts.every((p) => p.status === 'queued')
        ? 'queued'
        : has('queued') || has('running')
          ? 'running'
          : 'succeeded';
  const done = parts.reduce((s, p) => s + p.done, 0);
  const total = parts.reduce((s, p) => s + p.total, 0);
  const counts = parts.map((p) => p.result).filter((r): r is Record<string, number> => typeof r === 'object');
  const error = parts.find((p) => p.error)?.error;
  const finished = parts.map((p) => p.finished_at as string | undefined);
  return {
    ...parts[0]!,
    status,
    done,
    total,
    progress: total ? done / total : status === 'succeeded' ? 1 : 0,
    ...(counts.length === parts.length && status === 'succeeded'
      ? {
          result: Object.fromEntries(
            Object.keys(counts[0]!).map((k) => [k, counts.reduce((s, c) => s + (c[k] ?? 0), 0)]),
          ),
        }
      : {}),
    ...(error ? { error } : {}),
    ...(finished.every(Boolean) ? { finished_at: finished.sort().at(-1) } : { finished_at: undefined }),
  };
}

/**
 * `/api/jobs/:id` (GET, DELETE) goes to the service the id names; `GET /api/jobs` lists the jobs of every
 * service, newest first, and names the services that did not answer (`unavailable`) rather than failing.
 */
export const jobsRoutes: FastifyPluginAsync<{
  upstreams: Upstreams;
  timeoutMs: number;
  headers: Record<string, string>;
  /** A partitioned service's replicas (PARTITIONS > 1): its jobs run on each under one id. */
  replicas: Record<string, string[]>;
}> = async (app, { upstreams, timeoutMs, headers, replicas }) => {
  const call = async (service: string, path: string, method = 'GET', upstream = upstreams[service]!) => {
    try {
      const res = await fetch(`${upstream}${path}`, {
        method,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    } catch (err) {
      app.log.warn({ err, service, upstream }, 'forwarding failed');
      const failure = upstreamFailure(service, upstream, err as Error);
      return { status: failure.status, type: 'application/json', body: JSON.stringify(failure.body) };
    }
  };

  const one = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const { id } = request.params;
    const service = JOB_SERVICES.find((s) => id.startsWith(`${s}-`));
    if (!service) {
      return reply.status(404).send({
        error: {
          code: 'NOT_FOUND',
          message: `no job ${id}: a job id starts with its service's name (${JOB_SERVICES.map((s) => `${s}-…`).join(', ')})`,
        },
      });
    }
    const path = `/api/jobs/${encodeURIComponent(id)}`;
    const parts = replicas[service];
    if (parts) {
      const answers = await Promise.all(parts.map((r) => call(service, path, request.method, r)));
      const failed = answers.find((a) => a.status !== 200 && a.status !== 404);
      const found = answers.filter((a) => a.status === 200);
      if (failed || !found.length)
        return reply
          .status((failed ?? answers[0]!).status)
          .type('application/json')
          .send((failed ?? answers[0]!).body);
      if (request.method !== 'GET') return reply.type('application/json').send(found[0]!.body);
      return mergeJob(found.map((a) => JSON.parse(a.body) as Job));
    }
    const res = await call(service, path, request.method);
    return reply
      .status(res.status)
      .type(res.type ?? 'application/json')
      .send(res.body);
  };
  app.get('/api/jobs/:id', one);
  app.delete('/api/jobs/:id', one);

  app.get('/api/jobs', async () => {
    const lists = await Promise.all(
      JOB_SERVICES.map(async (s) => {
        const answers = await Promise.all(
          (replicas[s] ?? [upstreams[s]!]).map((r) => call(s, '/api/jobs', 'GET', r)),
        );
        if (answers.some((a) => a.status !== 200)) return null;
        const byId = new Map<string, Job[]>();
        for (const job of answers.flatMap((a) => (JSON.parse(a.body) as JobList).items))
          byId.set(job.id, [...(byId.get(job.id) ?? []), job]);
        return [...byId.values()].map((parts) => (parts.length > 1 ? mergeJob(parts) : parts[0]!));
      }),
    );
    const items = lists.flatMap((l) => l ?? []).sort((a, b) => b.created_at.localeCompare(a.created_at));
    const unavailable = JOB_SERVICES.filter((_, i) => !lists[i]);
    return { items, total: items.length, ...(unavailable.length ? { unavailable } : {}) };
  });
};
