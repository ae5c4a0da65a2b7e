import type { MessageBus } from '@stockpulse/bus';
import { ContractViolation, type OutgoingMessage } from '@stockpulse/contracts';
import type { SqliteDatabase } from './database.js';
import type { Logger } from './logger.js';

interface OutboxRow {
  seq: number;
  topic: string;
  key: string;
  envelope: string;
}

/**
 * The transactional outbox: a state change and the messages it causes are committed together; a relay
 * publishes them after the commit and deletes them once the bus has them. A crash between the two
 * publishes them again with the same message ids, which consumers' inboxes drop: nothing is lost, nothing
 * is invented.
 */
export function createOutbox(db: SqliteDatabase) {
  const insert = db.prepare<[string, string, string, number]>(
    'INSERT INTO outbox (topic, key, envelope, created_at) VALUES (?, ?, ?, ?)',
  );
  const listeners = new Set<() => void>();
  return {
    /**
     * Stores messages (already validated by `message()`) to publish once the caller's transaction commits.
     * Call it inside that transaction.
     */
    enqueue(messages: readonly OutgoingMessage[]): void {
      const now = Date.now();
      for (const m of messages) insert.run(m.topic, m.key, JSON.stringify(m.envelope), now);
      // runs after the caller's synchronous transaction has committed (or rolled back: then nothing is found)
      if (messages.length) setImmediate(() => listeners.forEach((wake) => wake()));
    },
    onEnqueue(wake: () => void): () => void {
      listeners.add(wake);
      return () => listeners.delete(wake);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

export interface RelayOptions {
  batchSize?: number;
  /** How often to look for rows left by an earlier run (enqueues in this process wake it at once). */
  pollMs?: number;
}

/** Publishes the outbox in order, one batch at a time; retries with backoff while the bus is down. */
export class OutboxRelay {
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private readonly read;
  private readonly remove;
  private readonly count;
  private readonly unsubscribe: () => void;

  constructor(
    db: SqliteDatabase,
    outbox: Outbox,
    private readonly bus: MessageBus,
    private readonly log: Logger,
    private readonly options: RelayOptions = {},
  ) {
    this.read = db.prepare<[number], OutboxRow>(
      'SELECT seq, topic, key, envelope FROM outbox ORDER BY seq LIMIT ?',
    );
    this.remove = db.prepare<[number]>('DELETE FROM outbox WHERE seq <= ?');
    this.count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox');
    this.unsubscribe = outbox.onEnqueue(() => this.wakeUp?.());
  }

  start(): void {
    this.loop = this.run();
  }

  /** Messages committed and not yet on the bus. */
  pending(): number {
    return this.count.get()!.n;
  }

  /** Publishes what is pending, then stops (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.wakeUp?.();
    await this.loop;
    await this.publishAll().catch((err: unknown) => this.log.error({ err }, 'outbox: final flush failed'));
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const published = await this.publishBatch();
        failures = 0;
        if (!published) await this.idle(this.options.pollMs ?? 1000);
      } catch (err) {
        failures++;
        const delay = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
        this.log.warn(
          { err, retryInMs: delay, pending: this.pending() },
          'outbox: publish failed, will retry',
        );
        await this.idle(delay);
      }
    }
  }

  private async publishAll(): Promise<void> {
    while (await this.publishBatch());
  }

  /** One batch; returns how many rows it published. */
  private async publishBatch(): Promise<number> {
    const rows = this.read.all(this.options.batchSize ?? 500);
    if (!rows.length) return 0;
    const messages = rows.map((r) => ({
      topic: r.topic,
      key: r.key,
      envelope: JSON.parse(r.envelope) as OutgoingMessage['envelope'],
    }));
    try {
      await this.bus.publishMany(messages);
    } catch (err) {
      if (!(err instanceof ContractViolation)) throw err;
      await this.publishOneByOne(rows, messages);
    }
    this.remove.run(rows.at(-1)!.seq);
    return rows.length;
  }

  /** A row that breaks its contract can never be published: say so loudly and let the others through. */
  private async publishOneByOne(rows: OutboxRow[], messages: OutgoingMessage[]): Promise<void> {
    for (const [i, m] of messages.entries()) {
      try {
        await this.bus.publishMany([m]);
      } catch (err) {
        if (!(err instanceof ContractViolation)) throw err;
        this.log.error(
          { err, outboxSeq: rows[i]!.seq, message: m },
          'outbox: dropped a message that breaks its contract',
        );
      }
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
