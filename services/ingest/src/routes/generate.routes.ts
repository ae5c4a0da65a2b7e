import type { FastifyPluginAsyncTypebox } from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';
import { JobId, type JobRunner, type SqliteDatabase } from '@stockpulse/service-kit';
import type { EventsRepository } from '../db/events.repository.js';
import { ANOMALY_KINDS, type AnomalyKind } from '../domain/generator/anomalies.js';
import type { GenerateParams } from '../jobs/generate.job.js';

import { injectLive } from '../jobs/inject.js';
import { GenerateBody } from '../schemas.js';

const InjectBody = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 1000 }),
    kinds: Type.Optional(Type.Array(Type.Enum([...ANOMALY_KINDS]), { minItems: 1, uniqueItems: true })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  },
  { additionalProperties: false },
);

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

/** `POST /api/generate` (202 with a job; the kit's job routes follow it), `GET /api/labels`, test-mode injection. */
export const generateRoutes: FastifyPluginAsyncTypebox<{
  jobs: JobRunner;
  events: EventsRepository;
  db: SqliteDatabase;
  testMode: boolean;
}> = async (app, { jobs, events, db, testMode }) => {
  app.post('/api/generate', { schema: { body: GenerateBody } }, async (request, reply) => {
    const job = jobs.start('generate', generateParams(request.body));
    return reply.status(202).send({ job_id: job.id });
  });

  app.post('/api/test/anomalies', { schema: { body: InjectBody } }, async (request, reply) => {
    if (!testMode) {
      return reply.status(403).send({
        error: {
          code: 'TEST_MODE_OFF',
          message: 'test mode is off: start ingest with TEST_MODE=on to inject anomalies',
        },
      });
    }
    return reply.status(201).send(injectLive(db, events, request.body));
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
