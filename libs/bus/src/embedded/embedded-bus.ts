import type { OutgoingMessage } from '@stockpulse/contracts';
import { BaseBus, type Backlog, type ResolvedSubscribeOptions } from '../base-bus.js';
import {
  type BusObserver,
  type ConsumerHandler,
  type DeadLetterQueue,
  type RetryPolicy,
  type Subscription,
} from '../port.js';
import type Database from 'better-sqlite3';
import { startCheckpointer } from './checkpointer.js';
import { EmbeddedConsumer } from './consumer.js';
import { createDeadLetters } from './dead-letters.js';
import { createPruner } from './retention.js';
import { openBusDatabase } from './schema.js';
import { createStore, type AppendRow, type Store } from './store.js';
import { Waker } from './waker.js';
import { writeTransaction } from './write-lock.js';

export interface EmbeddedBusOptions {
  /** The bus file, e.g. `$DATA_DIR/bus.db`; every process of the platform opens the same one. */
  path: string;
  durability?: 'normal' | 'full';
  /** How long acknowledged messages stay readable (e.g. by a new subscription from `earliest`). Default 1 h. */
  retentionMs?: number;
  pruneIntervalMs?: number;
  /** How often a worker thread copies the WAL back into the bus file. Default 200 ms. */
  checkpointIntervalMs?: number;
  /** How often an idle process looks for other processes' commits. Default 10 ms. */
  pollMs?: number;
  /** A consumer that stops renewing this long is dead (one that exits on this host is dead at once). */
  leaseMs?: number;
  rebalanceMs?: number;
  batchSize?: number;
  /** Partitions of each contract topic (see BaseBus); the first process to use a topic records its count. */
  partitions?: number;
  /** The retry policy of subscriptions that do not set one (DEFAULT_RETRY otherwise). */
  retry?: Partial<RetryPolicy>;
  observer?: BusObserver;
  /** Errors the bus recovers from by itself (a locked file, a full disk); log them. */
  onError?: (err: unknown) => void;
}

interface PendingPublish {
  rows: AppendRow[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** The durable SQLite log shared by every process on one machine; see schema.ts for the design. */
export class EmbeddedBus extends BaseBus {
  readonly kind = 'embedded' as const;
  readonly description: string;
  private readonly db: Database.Database;
  private readonly store: Store;
  private readonly waker: Waker;
  private readonly dead: ReturnType<typeof createDeadLetters>;
  private readonly pruneTimer: NodeJS.Timeout;
  private readonly stopCheckpointer: () => Promise<void>;
  private pending: PendingPublish[] = [];
  private flushing: Promise<void> | undefined;
  private readonly options: Required<
    Omit<EmbeddedBusOptions, 'observer' | 'onError' | 'retry' | 'partitions'>
  > &
    Pick<EmbeddedBusOptions, 'observer' | 'onError'>;

  constructor(options: EmbeddedBusOptions) {
    super(options.retry, options.partitions);
    this.options = {
      durability: 'normal',
      retentionMs: 3_600_000,
      pruneIntervalMs: 15_000,
      checkpointIntervalMs: 200,
      pollMs: 10,
      leaseMs: 15_000,
      rebalanceMs: 1_000,
      batchSize: 256,
      ...options,
    };
    this.description = `the embedded bus in ${options.path}`;
    this.db = openBusDatabase(options.path, this.options.durability);
    this.store = createStore(this.db);
    this.waker = new Waker(this.db, this.options.pollMs);
    this.dead = createDeadLetters(this.db, this.store);
    const prune = createPruner(this.db, this.options.retentionMs, this.options.pruneIntervalMs);
    this.pruneTimer = setInterval(
      () => void prune().catch((err: unknown) => this.reportError(err)),
      this.options.pruneIntervalMs,
    ).unref();
    this.stopCheckpointer = startCheckpointer(options.path, this.options.checkpointIntervalMs, (err) =>
      this.reportError(err),
    );
  }

  protected async send(messages: readonly OutgoingMessage[]): Promise<void> {
    const rows = messages.map((m): AppendRow => ({
      topic: m.topic,
      key: m.key,
      body: JSON.stringify(m.envelope),
      properties: null,
    }));
    return new Promise((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  /**
   * Group commit, one transaction at a time and in call order: every publish made while the previous
   * transaction waited for the lock or committed goes into the next one.
   */
  private async drain(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      try {
        const rows = batch.length === 1 ? batch[0]!.rows : batch.flatMap((p) => p.rows);
        await writeTransaction(this.db, () => this.store.appendMany(rows, Date.now()));
      } catch (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      for (const p of batch) {
        p.resolve();
        this.countPublished(p.rows);
      }
      this.waker.wakeAll();
    }
    this.flushing = undefined;
  }

  private countPublished(rows: AppendRow[]): void {
    const observer = this.options.observer;
    if (!observer?.published) return;
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.topic, (counts.get(r.topic) ?? 0) + 1);
    for (const [topic, n] of counts) observer.published(topic, n);
  }

  protected async open(
    topic: string,
    options: ResolvedSubscribeOptions,
    handler: ConsumerHandler,
  ): Promise<Subscription> {
    const { type } = options;
    const consumer = new EmbeddedConsumer(
      this.db,
      {
        store: this.store,
        member: { id: EmbeddedConsumer.newId(), topic, subscription: options.subscription },
        type,
        lanes: 0, // set from the subscription when the consumer joins
        policy: options.retry,
        batchSize: options.batchSize ?? this.options.batchSize,
      },
      {
        waker: this.waker,
        handler,
        observer: this.options.observer,
        onError: (err) => this.reportError(err),
        onAppend: () => this.waker.wakeAll(),
      },
      { leaseMs: this.options.leaseMs, rebalanceMs: this.options.rebalanceMs },
    );
    await consumer.start(options.initialPosition);
    return this.track(consumer, topic, options.subscription);
  }

  /** Recorded in the bus file's `meta` by the first process that uses the topic, in one write transaction. */
  protected async topicPartitions(topic: string): Promise<number> {
    const key = `partitions:${topic}`;
    return writeTransaction(this.db, () => {
      // a topic used before partitions were recorded (a bus file of an older stockpulse) has one
      const used = this.db
        .prepare(
          'SELECT 1 FROM subscriptions WHERE topic = ? UNION ALL SELECT 1 FROM messages WHERE topic = ? LIMIT 1',
        )
        .get(topic, topic);
      this.db
        .prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)')
        .run(key, String(used ? 1 : this.partitions));
      return Number(this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key));
    });
  }

  protected async backlog(topic: string): Promise<Backlog[]> {
    return this.db
      .prepare<[number, string], Backlog>(
        `SELECT s.name AS subscription,
           (SELECT COUNT(*) FROM messages m WHERE m.topic = s.topic
              AND m.seq > (SELECT COALESCE(MIN(l.cursor), 0) FROM lanes l WHERE l.topic = s.topic AND l.subscription = s.name))
           + (SELECT COUNT(*) FROM retries r WHERE r.topic = s.topic AND r.subscription = s.name) AS messages,
           (SELECT COUNT(*) FROM consumers c WHERE c.topic = s.topic AND c.subscription = s.name
              AND c.lease_until > ?) AS consumers
         FROM subscriptions s WHERE s.topic = ?`,
      )
      .all(Date.now(), topic);
  }

  protected async setTopicPartitions(topic: string, _from: number, to: number): Promise<void> {
    await writeTransaction(this.db, () =>
      this.db
        .prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
        .run(`partitions:${topic}`, String(to)),
    );
  }

  protected async listDeadLetters(): Promise<DeadLetterQueue[]> {
    return this.dead.list();
  }

  protected async moveDeadLetters(deadLetterTopic: string, limit: number): Promise<number> {
    const moved = await writeTransaction(this.db, () => this.dead.replay(deadLetterTopic, limit));
    if (moved) this.waker.wakeAll();
    return moved;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.closeSubscriptions();
    await this.flushing;
    clearInterval(this.pruneTimer);
    await this.stopCheckpointer();
    this.db.close();
  }

  private reportError(err: unknown): void {
    this.options.onError?.(err);
  }
}
