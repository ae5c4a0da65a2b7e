import type { FastifyPluginAsyncTypebox } from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';
import { JobId, type JobRunner } from '@stockpulse/service-kit';
import type { EventsRepository } from '../db/events.repository.js';
import { ANOMALY_KINDS, type AnomalyKind } from '../domain/generator/anomalies.js';
import type { GenerateParams } from '../jobs/generate.job.js';

import { GenerateBody } from '../schemas.js';

export const DEFAULTS = { days: 180, stores: 5, products: 40, categories: 5, seed: 42, rate: 0 };

export type GenerateRequest = Static<typeof GenerateBody>;

/** Fills a generate request's defaults (history ending today, UTC). */
export function generateParams(body: GenerateRequest): GenerateParams {
  const anomalies =
    typeof body.anomalies === 'number' ? { count: body.anomalies } : (body.anomalies ?? { count: 0 });
  return {
    ...DEFAULTS,
    ...body,
    end: body.end ?? new Date().toISOString().slice(0, 10),
    anomalies: { count: anomalies.count, kinds: [...(anomalies.kinds ?? ANOMALY_KINDS)] as AnomalyKind[] },
  };
}

/** `POST /api/generate` (202 with a job; the kit's job routes follow it) and `GET /api/labels`. */
export const generateRoutes: FastifyPluginAsyncTypebox<{
  jobs: JobRunner;
  events: EventsRepository;
}> = async (app, { jobs, events }) => {
  app.post('/api/generate', { schema: { body: GenerateBody } }, async (request, reply) => {
    const job = jobs.start('generate', generateParams(request.body));
    return reply.status(202).send({ job_id: job.id });
  });

  app.get(
    '/api/labels',
    {
      schema: {
        querystring: Type.Object({
          kind: Type.Optional(Type.Enum([...ANOMALY_KINDS])),
          job_id: Type.Optional(JobId('ingest')),
          limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
      },
    },
    async (request) => {
      const { kind, job_id, limit, offset } = request.query;
      return events.labels({ kind, jobId: job_id }, limit, offset);
    },
  );
};
