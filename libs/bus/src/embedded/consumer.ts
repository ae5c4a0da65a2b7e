import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { dispatch, type Outcome } from '../dispatch.js';
import type { BusObserver, Handler, InitialPosition, Subscription } from '../port.js';
import { claim, type Batch, type ClaimContext } from './claim.js';
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
  handler: Handler;
  observer: BusObserver | undefined;
  onError: (err: unknown) => void;
  /** Called after a commit that appended dead letters, so local consumers of them wake up. */
  onAppend: () => void;
}

/**
 * One consumer of one subscription: claim a batch of its lanes, hand each message to the handler in order,
 * acknowledge the batch in one commit; between batches, renew its lease and take or give up lanes.
 */
export class EmbeddedConsumer implements Subscription {
  readonly topic: string;
  readonly subscription: string;
  private owned = new Set<number>();
  private closing = false;
  private loop: Promise<void> = Promise.resolve();
  private nextRebalanceAt = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly minCursor: Database.Statement<[string, string, string], { floor: number | null }>;
  private readonly nextRetry: Database.Statement<[string, string], { due: number | null }>;

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
    this.nextRetry = db.prepare(
      'SELECT MIN(due_at) AS due FROM retries WHERE topic = ? AND subscription = ?',
    );
  }

  static newId(): string {
    return `${HOST}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  start(initialPosition: InitialPosition): void {
    const { db } = this;
    const { store, member, type } = this.ctx;
    this.ctx.lanes = join(db, store, member, type, initialPosition, this.timing.leaseMs);
    this.rebalance();
    // renew the lease even while a long handler runs, so a slow consumer is not taken for a dead one
    this.heartbeat = setInterval(() => {
      try {
        if (db.open) store.renewConsumer.run(Date.now() + this.timing.leaseMs, member.id);
      } catch (err) {
        this.deps.onError(err);
      }
    }, this.timing.leaseMs / 3).unref();
    this.loop = this.run();
  }

  async close(): Promise<void> {
    if (this.closing) return this.loop;
    this.closing = true;
    this.deps.waker.wakeAll();
    await this.loop;
    clearInterval(this.heartbeat);
    if (this.db.open) leave(this.db, this.ctx.store, this.ctx.member);
  }

  private async run(): Promise<void> {
    let batch: Batch | null = null;
    while (!this.closing || batch) {
      try {
        if (!batch) {
          if (Date.now() >= this.nextRebalanceAt) this.rebalance();
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
        // Lanes are divided only between batches, so a due rebalance ends the streak.
        const next = !this.closing && Date.now() < this.nextRebalanceAt;
        const done = batch;
        batch = await this.write(() => {
          if (commit(this.ctx, done, outcomes)) this.deps.onAppend();
          return next ? claim(this.ctx, this.owned) : null;
        });
      } catch (err) {
        this.deps.onError(err);
        batch = null; // unacknowledged: delivered again, counted as a further attempt
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  private async handle(batch: Batch): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const { member, policy } = this.ctx;
    for (const item of batch.items) {
      if (this.closing) break;
      const raw = {
        key: item.message.key,
        body: item.message.body,
        properties: parseProperties(item.message.properties),
      };
      const outcome = dispatch(member, raw, item.attempt, policy, this.deps.handler, this.deps.observer);
      outcomes.push(outcome instanceof Promise ? await outcome : outcome);
    }
    for (const item of batch.doomed) {
      this.deps.observer?.handled?.({
        ...member,
        outcome: 'dead_lettered',
        attempt: item.attempt,
        seconds: 0,
      });
    }
    return outcomes;
  }

  private write<T>(fn: () => T): Promise<T> {
    return writeTransaction(this.db, fn);
  }

  private rebalance(): void {
    this.owned = rebalance(this.db, this.ctx.store, this.ctx.member, this.timing.leaseMs);
    this.nextRebalanceAt = Date.now() + this.timing.rebalanceMs;
  }

  /** A cheap read before taking the write lock: any message past our lanes, or a retry that is due? */
  private hasWork(): boolean {
    const { store, member: m } = this.ctx;
    const floor = this.minCursor.get(m.topic, m.subscription, m.id)?.floor;
    if (floor == null) return false;
    if (store.readAfter.all(m.topic, floor, 1).length) return true;
    const due = this.nextRetry.get(m.topic, m.subscription)?.due;
    return due != null && due <= Date.now();
  }

  private idleMs(): number {
    const due = this.nextRetry.get(this.topic, this.subscription)?.due;
    const untilRetry = due == null ? Infinity : due - Date.now();
    return Math.max(1, Math.min(untilRetry, this.nextRebalanceAt - Date.now()));
  }
}
