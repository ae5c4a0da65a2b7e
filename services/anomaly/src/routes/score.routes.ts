import { JobId, type FastifyPluginAsyncTypebox, type SqliteDatabase } from '@stockpulse/service-kit';
import Type from 'typebox';
import { NUMERIC_KINDS, rocAuc, scoreDetections, type Detection, type Label } from '../domain/score.js';

/** Reads every label of a scope from ingest, a page at a time. */
async function labelsFrom(
  ingestUrl: string,
  jobId: string | undefined,
  headers: Record<string, string>,
): Promise<Label[]> {
  const labels: Label[] = [];
  for (let offset = 0; ; offset += 10_000) {
    const query = new URLSearchParams({
      limit: '10000',
      offset: String(offset),
      ...(jobId ? { job_id: jobId } : {}),
    });
    const res = await fetch(`${ingestUrl}/api/labels?${query.toString()}`, {
      headers,
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`ingest answered ${res.status}`);
    const page = (await res.json()) as { items: Label[]; total: number };
    labels.push(...page.items);
    if (!page.items.length || labels.length >= page.total) return labels;
  }
}

/**
 * `GET /api/anomalies/score`: detections against the generator's labels (from ingest), for one generator job
 * (`job_id`) or every event seen: precision, recall and F1 per detector, per kind and overall, the false
 * positive rate on clean events, and the ROC-AUC of the isolation-forest score.
 */
export const scoreRoutes: FastifyPluginAsyncTypebox<{
  db: SqliteDatabase;
  ingestUrl: string;
  headers: Record<string, string>;
}> = async (app, { db, ingestUrl, headers }) => {
  app.get(
    '/api/anomalies/score',
    {
      schema: {
        querystring: Type.Object({ job_id: Type.Optional(JobId('ingest')) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const job = request.query.job_id;
      let labels: Label[];
      try {
        labels = await labelsFrom(ingestUrl, job, headers);
      } catch (err) {
        const message = `the labels are kept by ingest (${ingestUrl}), which is not answering: ${(err as Error).message}`;
        return reply.status(503).send({ error: { code: 'SERVICE_UNAVAILABLE', message } });
      }
      const scope = job ? 'correlation_id = @job' : '1';
      const events = db
        .prepare(
          `SELECT COALESCE(SUM(events), 0) FROM event_counts WHERE ${job ? 'correlation_id = @job' : '1'}`,
        )
        .pluck()
        .get({ job: job ?? null }) as number;
      const detected = (table: string) =>
        db
          .prepare(`SELECT event_id, detector FROM ${table} WHERE event_id IS NOT NULL AND ${scope}`)
          .all({ job: job ?? null }) as Detection[];
      const scored = db
        .prepare(`SELECT event_id, score FROM features WHERE score IS NOT NULL AND ${scope}`)
        .all({ job: job ?? null }) as { event_id: string; score: number }[];
      const kindOf = new Map(labels.map((l) => [l.event_id, l.kind]));
      const positives = scored
        .filter((s) => NUMERIC_KINDS.includes(kindOf.get(s.event_id) ?? ''))
        .map((s) => s.score);
      const negatives = scored.filter((s) => !kindOf.has(s.event_id)).map((s) => s.score);
      return {
        ...(job ? { job_id: job } : {}),
        ...scoreDetections(labels, detected('anomalies'), events, detected('notes')),
        isolation_forest_roc_auc: rocAuc(positives, negatives),
        isolation_forest_scored_events: scored.length,
      };
    },
  );
};
