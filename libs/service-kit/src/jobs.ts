import type { SqliteDatabase } from './database.js';
import type { Logger } from './logger.js';
import { randomUUID } from 'node:crypto';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  params: unknown;
  done: number;
  total: number;
  progress: number;
  result?: unknown;
  error?: string;
  created_at: string;
  started_at?: string;
  finished_at?: string;
}

export interface JobContext {
  id: string;
  signal: AbortSignal;
  progress(done: number, total: number): void;
}

/** Does the work of one kind of job; resolves with its result. Must stop soon after `signal` aborts. */
export type JobHandler = (params: never, ctx: JobContext) => Promise<unknown>;

interface JobRow {
  id: string;
  kind: string;
  status: JobStatus;
  params: string;
  done: number;
  total: number;
  result: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/**
 * Long work as jobs with progress, kept in the service's store (`jobs`, a kit table). A job's id starts
 * with its service's name (`ingest-…`), so the gateway knows where to ask about it. Jobs must be
 * idempotent: one interrupted by a restart runs again on start (`resume`).
 */
export class JobRunner {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly save;
  private readonly progress;
  private readonly byId;

  constructor(
    private readonly db: SqliteDatabase,
    /** The owning service: the prefix of its job ids. */
    readonly service: string,
    private readonly handlers: Record<string, JobHandler>,
    private readonly log: Logger,
  ) {
    this.save = db.prepare(
      `INSERT INTO jobs (id, kind, status, params, created_at) VALUES (@id, @kind, 'queued', @params, @created_at)`,
    );
    this.progress = db.prepare('UPDATE jobs SET done = ?, total = ? WHERE id = ?');
    this.byId = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?');
  }

  /**
   * A new job; `id` where the caller chose it (the gateway starts one job on every replica under one id),
   * refused when a job already has it.
   */
  start(kind: string, params: unknown, id = `${this.service}-${randomUUID()}`): Job {
    if (!this.handlers[kind]) throw new Error(`no handler for jobs of kind '${kind}'`);
    if (!id.startsWith(`${this.service}-`))
      throw new Error(`a job id starts with '${this.service}-', not '${id}'`);
    if (this.byId.get(id)) throw new Error(`a job ${id} exists already`);
    this.save.run({ id, kind, params: JSON.stringify(params), created_at: new Date().toISOString() });
    this.run(id);
    return this.get(id)!;
  }

  get(id: string): Job | undefined {
    const row = this.byId.get(id);
    return row && toJob(row);
  }

  list(kind?: string, status?: JobStatus): Job[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM jobs WHERE (@kind IS NULL OR kind = @kind) AND (@status IS NULL OR status = @status)
           ORDER BY created_at DESC LIMIT 100`,
        )
        .all({ kind: kind ?? null, status: status ?? null }) as JobRow[]
    ).map(toJob);
  }

  hasAny(): boolean {
    return this.db.prepare('SELECT 1 FROM jobs LIMIT 1').get() !== undefined;
  }

  /** Cancels a queued or running job; false when it had already ended. */
  async cancel(id: string): Promise<boolean> {
    const entry = this.running.get(id);
    if (!entry) return false;
    entry.controller.abort();
    await entry.done;
    return true;
  }

  /** Runs again the jobs a previous process left queued or running. */
  resume(): void {
    for (const row of this.db
      .prepare<[], { id: string }>("SELECT id FROM jobs WHERE status IN ('queued', 'running')")
      .all()) {
      this.log.info({ jobId: row.id }, 'resuming a job interrupted by a restart');
      this.run(row.id);
    }
  }

  /** Stops every job (graceful shutdown); they stay 'running' in the store and resume on the next start. */
  async stop(): Promise<void> {
    const entries = [...this.running.values()];
    for (const e of entries) e.controller.abort('shutdown');
    await Promise.all(entries.map((e) => e.done));
  }

  private run(id: string): void {
    const row = this.byId.get(id)!;
    const controller = new AbortController();
    const set = (
      fields: Partial<Record<'status' | 'result' | 'error' | 'started_at' | 'finished_at', string>>,
    ) => {
      const keys = Object.keys(fields);
      this.db
        .prepare(`UPDATE jobs SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`)
        .run({ ...fields, id });
    };
    const done = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      set({ status: 'running', started_at: new Date().toISOString() });
      try {
        const handler = this.handlers[row.kind]!;
        const result = await handler(JSON.parse(row.params) as never, {
          id,
          signal: controller.signal,
          progress: (d, total) => void this.progress.run(d, total, id),
        });
        if (controller.signal.reason === 'shutdown') return;
        set({
          status: controller.signal.aborted ? 'cancelled' : 'succeeded',
          result: JSON.stringify(result ?? null),
          finished_at: new Date().toISOString(),
        });
      } catch (err) {
        if (controller.signal.reason === 'shutdown') return;
        this.log.error({ err, jobId: id }, 'job failed');
        set({ status: 'failed', error: (err as Error).message, finished_at: new Date().toISOString() });
      } finally {
        this.running.delete(id);
      }
    })();
    this.running.set(id, { controller, done });
  }
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    params: JSON.parse(row.params) as unknown,
    done: row.done,
    total: row.total,
    progress: row.total > 0 ? Math.min(1, row.done / row.total) : row.status === 'succeeded' ? 1 : 0,
    ...(row.result !== null ? { result: JSON.parse(row.result) as unknown } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    created_at: row.created_at,
    ...(row.started_at !== null ? { started_at: row.started_at } : {}),
    ...(row.finished_at !== null ? { finished_at: row.finished_at } : {}),
  };
}
