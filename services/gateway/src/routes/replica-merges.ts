import { leaderboardOf, partitionOf, type LeaderboardPart } from '@stockpulse/contracts';
import { randomUUID } from 'node:crypto';
import { addUp } from './overview.routes.js';
import { mergePages, type Page } from './fanout.js';

/** A replica's answer, as the gateway passes it on. */
export interface Answer {
  status: number;
  type: string | null;
  body: Buffer;
  headers?: Record<string, string>;
}

/** Asks replicas: every one (`all`), or one by index; a path and query of its own where given. */
export interface Replicas {
  all(search: string, body?: Buffer): Promise<Answer[]>;
  one(index: number, search: string, body?: Buffer): Promise<Answer>;
  partitions: number;
}

const json = (value: unknown, status = 200): Answer => ({
  status,
  type: 'application/json',
  body: Buffer.from(JSON.stringify(value)),
});
const parse = <T>(a: Answer) => JSON.parse(a.body.toString('utf8')) as T;
/** The first answer that is not a success, if any. */
const refusal = (answers: Answer[]) => answers.find((a) => a.status >= 300);

/**
 * Routes answered from every replica's part, each as one service holding every store would answer (with
 * PARTITIONS > 1): the models leaderboard from its sums and counts, the inventory's summary and progress
 * added up, a webhook's deliveries (each replica sends its own stores') merged newest first, and a forecast
 * run started on every replica under one job id (or on the store's replica alone).
 */
export const REPLICA_MERGES: Record<
  string,
  (replicas: Replicas, query: URLSearchParams, body: unknown) => Promise<Answer>
> = {
  'GET /api/models': async (replicas, query) => {
    const parts = new URLSearchParams(query);
    parts.set('parts', 'true');
    const answers = await replicas.all(`?${parts.toString()}`);
    const failed = refusal(answers);
    if (failed) return failed;
    const items = leaderboardOf(answers.flatMap((a) => parse<{ items: LeaderboardPart[] }>(a).items));
    return json({ items, total: items.length });
  },
  'GET /api/inventory/summary': (replicas, query) => addedUp(replicas, query),
  'GET /api/inventory/progress': (replicas, query) => addedUp(replicas, query),
  'GET /api/webhooks/:id/deliveries': async (replicas, query) => {
    const answers = await replicas.all(query.size ? `?${query.toString()}` : '');
    const found = answers.filter((a) => a.status === 200);
    if (!found.length || refusal(answers.filter((a) => a.status !== 404))) return answers[0]!;
    const limit = Number(query.get('limit') ?? 100);
    const pages = found.map((a) => parse<Page>(a));
    return json(
      mergePages(
        pages,
        [
          ['created_at', -1],
          ['id', 1],
        ],
        0,
        limit,
      ),
    );
  },
  // users' verdicts, oldest first (each replica has its stores' anomalies'): JSON merged by time, CSV records
  // merged in the same order (each record starts with its time) under one header
  'GET /api/anomalies/verdicts': async (replicas, query) => {
    const offset = Number(query.get('offset') ?? 0);
    const limit = Number(query.get('limit') ?? 10_000);
    if (!(Number.isInteger(offset) && offset >= 0 && Number.isInteger(limit) && limit >= 1))
      return replicas.one(0, `?${query.toString()}`);
    const each = new URLSearchParams(query);
    each.set('offset', '0');
    each.set('limit', String(Math.min(offset + limit, 100_000)));
    const answers = await replicas.all(`?${each.toString()}`);
    const failed = refusal(answers);
    if (failed) return failed;
    if (query.get('format') !== 'csv')
      return json(
        mergePages(
          answers.map((a) => parse<Page>(a)),
          [
            ['at', 1],
            ['anomaly_id', 1],
          ],
          offset,
          limit,
        ),
      );
    const [header, ...records] = answers.flatMap((a, i) => {
      const lines = a.body.toString('utf8').split('\r\n').filter(Boolean);
      return i === 0 ? lines : lines.slice(1);
    });
    const page = records.sort().slice(offset, offset + limit);
    return { ...answers[0]!, body: Buffer.from(`${[header, ...page].join('\r\n')}\r\n`) };
  },
  'POST /api/forecasts/run': async (replicas, query, body) => {
    const search = query.size ? `?${query.toString()}` : '';
    let run: Record<string, unknown>;
    try {
      run = JSON.parse((body as Buffer).toString('utf8')) as Record<string, unknown>;
    } catch {
      return replicas.one(0, search, body as Buffer);
    }
    if (typeof run !== 'object' || run === null || Array.isArray(run))
      return replicas.one(0, search, body as Buffer);
    if (typeof run.store === 'string')
      return replicas.one(partitionOf(run.store, replicas.partitions), search, body as Buffer);
    run.job_id ??= `forecaster-${randomUUID()}`;
    const answers = await replicas.all(search, Buffer.from(JSON.stringify(run)));
    return refusal(answers) ?? answers[0]!;
  },
};

async function addedUp(replicas: Replicas, query: URLSearchParams): Promise<Answer> {
  const answers = await replicas.all(query.size ? `?${query.toString()}` : '');
  return refusal(answers) ?? json(addUp(answers.map((a) => parse<Record<string, unknown>>(a))));
}

/** The merge for a request, by method and path (`:id` standing for a webhook's id). */
export function replicaMergeOf(method: string, path: string) {
  const key = `${method} ${path.replace(/^\/api\/webhooks\/[^/]+\/deliveries$/, '/api/webhooks/:id/deliveries')}`;
  return REPLICA_MERGES[key];
}
