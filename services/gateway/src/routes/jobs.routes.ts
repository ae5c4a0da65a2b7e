import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { upstreamFailure, type Upstreams } from './forward.routes.js';

/** The services that run jobs; a job id starts with its service's name (`forecaster-…`). */
export const JOB_SERVICES = ['ingest', 'forecaster'] as const;

interface JobList {
  items: { created_at: string }[];
}

/**
 * `/api/jobs/:id` (GET, DELETE) goes to the service the id names; `GET /api/jobs` lists the jobs of every
 * service, newest first, and names the services that did not answer (`unavailable`) rather than failing.
 */
export const jobsRoutes: FastifyPluginAsync<{
  upstreams: Upstreams;
  timeoutMs: number;
  headers: Record<string, string>;
}> = async (app, { upstreams, timeoutMs, headers }) => {
  const call = async (service: string, path: string, method = 'GET') => {
    const upstream = upstreams[service]!;
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
    const res = await call(service, `/api/jobs/${encodeURIComponent(id)}`, request.method);
    return reply
      .status(res.status)
      .type(res.type ?? 'application/json')
      .send(res.body);
  };
  app.get('/api/jobs/:id', one);
  app.delete('/api/jobs/:id', one);

  app.get('/api/jobs', async () => {
    const answers = await Promise.all(JOB_SERVICES.map((s) => call(s, '/api/jobs')));
    const items = answers
      .flatMap((a) => (a.status === 200 ? (JSON.parse(a.body) as JobList).items : []))
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
    const unavailable = JOB_SERVICES.filter((_, i) => answers[i]!.status !== 200);
    return { items, total: items.length, ...(unavailable.length ? { unavailable } : {}) };
  });
};
