import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { NotFoundError } from '../http/errors.js';
import type { JobRunner } from '../jobs.js';

/** The id of a job of `service`: its name, a dash, a UUID. */
export const JobId = (service: string) =>
  Type.String({ pattern: `^${service}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$` });

/**
 * A service's jobs over HTTP, the same in every service that has some: `GET /api/jobs` (newest first),
 * `GET /api/jobs/:id` (status and progress) and `DELETE /api/jobs/:id` (cancel; a finished job stays as it
 * ended). The gateway sends `/api/jobs/:id` to the service named by the id.
 */
export const jobsRoutes: FastifyPluginAsyncTypebox<{ jobs: JobRunner }> = async (app, { jobs }) => {
  const params = { schema: { params: Type.Object({ id: JobId(jobs.service) }) } };
  const find = (id: string) => {
    const job = jobs.get(id);
    if (!job) throw new NotFoundError(`no job ${id}`);
    return job;
  };

  app.get('/api/jobs', async () => {
    const items = jobs.list();
    return { items, total: items.length };
  });

  app.get('/api/jobs/:id', params, async (request) => find(request.params.id));

  app.delete('/api/jobs/:id', params, async (request) => {
    find(request.params.id);
    await jobs.cancel(request.params.id);
    return find(request.params.id);
  });
};
