import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { dispatch, dispatchBatch, type Outcome } from '../dispatch.js';
import type { BusObserver, ConsumerHandler, InitialPosition, Subscription } from '../port.js';
import { claim, type Batch, type ClaimContext, type Prefetched } from './claim.js';
import { commit } from './commit.js';
import { HOST, join, leave, rebalance } from './membership.js';
import { parseProperties } from './store.js';
import type { Waker } from './waker.js';
import { writeTransaction } from './write-lock.js';

export interface ConsumerTiming {
  leaseMs: number;
  rebalanceMs: number;
}

export interface ConsumerDeps {
  waker: Waker;
  handler: ConsumerHandler;
  observer: BusObserver | undefined;
  onError: (err: unknown) => void;
  /** Called after a commit that appended dead letters, so local consumers of them wake up. */
  onAppend: () => void;
}

/**
 * One consumer of one subscription: claim a batch of its lanes, hand each message to the handler in order,
 * acknowledge the batch and claim the next in one commit; between batches, renew its lease and take or give
 * up lanes. It stops handing out a batch the moment its lease may have run out (a process paused longer
 * than the lease), since another consumer may then own those lanes and be delivering the same messages.
 */
export class EmbeddedConsumer implements Subscription {
  readonly topic: string;
  readonly subscription: string;
  private owned = new Set<number>();
  private closing = false;
  private loop: Promise<void> = Promise.resolve();
  private nextRebalanceAt = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private renewing = false;
  /** Until when this consumer surely still holds its lanes (its lease, less a margin for clock work). */
  private safeUntil = 0;
  private readonly minCursor: Database.Statement<[string, string, string], { floor: number | null }>;

  constructor(
    private readonly db: Database.Database,
    private readonly ctx: ClaimContext,
    private readonly deps: ConsumerDeps,
    private readonly timing: ConsumerTiming,
  ) {
    this.topic = ctx.member.topic;
    this.subscription = ctx.member.subscription;
    this.minCursor = db.prepare(
      'SELECT MIN(cursor) AS floor FROM lanes WHERE topic = ? AND subscription = ? AND owner = ?',
    );
  }

  static newId(): string {
    return `${HOST}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  async start(initialPosition: InitialPosition): Promise<void> {
    const { store, member, type } = this.ctx;
    const leased = Date.now();
    this.ctx.lanes = await writeTransaction(this.db, () =>
      join(store, member, type, initialPosition, this.timing.leaseMs),
    );
    this.extendLease(leased);
    await this.rebalance();
    // renew the lease even while a long handler runs, so a slow consumer is not taken for a dead one
    this.heartbeat = setInterval(() => void this.renew(), this.timing.leaseMs / 3).unref();
    this.loop = this.run();
  }

  async close(): Promise<void> {
    if (this.closing) return this.loop;
    this.closing = true;
    this.deps.waker.wakeAll();
    await this.loop;
    clearInterval(this.heartbeat);
    if (this.db.open) await writeTransaction(this.db, () => leave(this.ctx.store, this.ctx.member));
  }

  private async run(): Promise<void> {
    let batch: Batch | null = null;
    while (!this.closing || batch) {
      try {
        if (!batch) {
          if (Date.now() >= this.nextRebalanceAt) await this.rebalance();
          if (this.closing) break;
          batch =
            this.owned.size && this.hasWork() ? await this.write(() => claim(this.ctx, this.owned)) : null;
          if (!batch) {
            await this.deps.waker.wait(this.idleMs());
            continue;
          }
        }
        const outcomes = await this.handle(batch);
        // acknowledging this batch and claiming the next share one transaction: one lock turn per batch.
        // Lanes are divided only between batches, so a due rebalance (or a lost lease) ends the streak.
        const next = !this.closing && Date.now() < this.nextRebalanceAt && !this.fenced();
        const done: Batch = batch;
        const { store, member, batchSize } = this.ctx;
        const prefetched: Prefetched | undefined =
          next && !done.recovering
            ? { after: done.scannedTo, page: store.readAfter.all(member.topic, done.scannedTo, batchSize) }
            : undefined;
        batch = await this.write((): Batch | null => {
          if (commit(this.ctx, done, outcomes)) this.deps.onAppend();
          return next ? claim(this.ctx, this.owned, prefetched) : null;
        });
        // let timers and I/O of the process run between batches: a consumer that is never idle must not
        // starve the service's HTTP server, its flushes or its heartbeat
        await new Promise((resolve) => setImmediate(resolve));
      } catch (err) {
        this.deps.onError(err);
        batch = null; // unacknowledged: delivered again, counted as a further attempt
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /** Hands the batch to the handler in order; stops early when closing or when the lease may be lost. */
  private async handle(batch: Batch): Promise<Outcome[]> {
    let outcomes: Outcome[] = [];
    const { member, policy } = this.ctx;
    const { handler, observer } = this.deps;
    const raw = (item: Batch['items'][number]) => ({
      key: item.message.key,
      body: item.message.body,
      properties: parseProperties(item.message.properties),
    });
    if ('batch' in handler) {
      if (!this.closing && !this.fenced() && batch.items.length) {
        const messages = batch.items.map((item) => ({ raw: raw(item), attempt: item.attempt }));
        outcomes = await dispatchBatch(member, messages, policy, handler.batch, observer);
      }
    } else {
      for (const item of batch.items) {
        if (this.closing || this.fenced()) break;
        const outcome = dispatch(member, raw(item), item.attempt, policy, handler.one, observer);
        outcomes.push(outcome instanceof Promise ? await outcome : outcome);
      }
    }
    for (const { item } of batch.doomed) {
      this.deps.observer?.handled?.({
        ...member,
        outcome: 'dead_lettered',
        attempt: item.attempt,
        seconds: 0,
      });
    }
    return outcomes;
  }

  private fenced(): boolean {
    return Date.now() >= this.safeUntil;
  }

  private extendLease(renewedAt: number): void {
    this.safeUntil = renewedAt + (this.timing.leaseMs * 2) / 3;
  }

  private async renew(): Promise<void> {
    if (this.renewing || !this.db.open) return;
    this.renewing = true;
    const at = Date.now();
    try {
      const { store, member } = this.ctx;
      const renewed = await writeTransaction(
        this.db,
        () => store.renewConsumer.run(at + this.timing.leaseMs, member.id).changes,
      );
      // no row: another consumer took this one for dead and freed its lanes; the next rebalance rejoins
      if (renewed) this.extendLease(at);
      else this.safeUntil = 0;
    } catch (err) {
      this.deps.onError(err);
    } finally {
      this.renewing = false;
    }
  }

  private async rebalance(): Promise<void> {
    const at = Date.now();
    const { store, member } = this.ctx;
    this.owned = await writeTransaction(this.db, () => rebalance(store, member, this.timing.leaseMs));
    this.extendLease(at);
    this.nextRebalanceAt = Date.now() + this.timing.rebalanceMs;
  }

  private write<T>(fn: () => T): Promise<T> {
    return writeTransaction(this.db, fn);
  }

  /** A cheap read before taking the write lock: any message past our lanes, or a retry of ours that is due? */
  private hasWork(): boolean {
    const { store, member: m } = this.ctx;
    const floor = this.minCursor.get(m.topic, m.subscription, m.id)?.floor;
    if (floor == null) return false;
    if (store.readAfter.all(m.topic, floor, 1).length) return true;
    const due = store.nextRetryDue.get(m.topic, m.subscription, m.id)?.due;
    return due != null && due <= Date.now();
  }

  private idleMs(): number {
    const { store, member: m } = this.ctx;
    const due = store.nextRetryDue.get(m.topic, m.subscription, m.id)?.due;
    const untilRetry = due == null ? Infinity : due - Date.now();
    return Math.max(1, Math.min(untilRetry, this.nextRebalanceAt - Date.now()));
  }
}
