import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '@stockpulse/service-kit';
import type { EventsRepository } from '../db/events.repository.js';
import { ANOMALY_KINDS, canInject, inject, type AnomalyKind } from '../domain/generator/anomalies.js';
import { Random } from '../domain/generator/random.js';
import type { GeneratedEvent } from '../domain/generator/simulate.js';
import { withId } from './generate.job.js';

/**
 * Test mode: `count` labelled anomalies in live data now. Each takes the latest report of a random product ×
 * store, reports it again now (nothing sold since), and turns that report into an anomaly of the next kind.
 * The labels carry a job id of ingest's form, so detection can be scored for exactly these.
 */
export function injectLive(
  db: SqliteDatabase,
  events: EventsRepository,
  request: { count: number; kinds?: AnomalyKind[] | undefined; seed?: number | undefined },
) {
  const kinds = request.kinds?.length ? request.kinds : [...ANOMALY_KINDS];
  const rng = new Random(request.seed ?? Date.now() % 2 ** 31);
  const latest = db
    .prepare<[], GeneratedEvent>(
      `SELECT product_id, store_location, category, description, quantity, price FROM events
       WHERE seq IN (SELECT MAX(seq) FROM events WHERE quantity IS NOT NULL GROUP BY store_location, product_id)`,
    )
    .all();
  const jobId = `ingest-${randomUUID()}`;
  const now = Date.now();
  const records = [];
  const labels = new Map<number, { kind: string; detail: string }>();
  const pool = [...latest];
  for (let i = 0; records.length < request.count && pool.length; i++) {
    const [base] = pool.splice(rng.int(0, pool.length - 1), 1);
    const kind = kinds[records.length % kinds.length]!;
    const again: GeneratedEvent = {
      ...(base!.description === null ? { ...base!, description: undefined } : base!),
      units_sold: 0,
      event_timestamp: new Date(now + i).toISOString(),
    };
    if (again.description === undefined) delete again.description;
    if (!canInject(kind, again)) continue;
    const injected = inject(kind, again, rng);
    labels.set(records.length, { kind, detail: injected.detail });
    records.push(withId(injected.event));
  }
  const result = events.ingest(records, { source: 'generator', correlationId: jobId, jobId, labels });
  return { job_id: jobId, injected: result.accepted, kinds: records.map((_, i) => labels.get(i)!.kind) };
}
