import type { RetryPolicy, SubscriptionType } from '../port.js';
import { laneOf } from './lane-of.js';
import type { Member } from './membership.js';
import type { LaneRow, Store, StoredMessage } from './store.js';

export interface BatchItem {
  message: StoredMessage;
  lane: number;
  attempt: number;
  /** A parked retry (true) or a message read past the lane cursor (false). */
  retry: boolean;
}

export interface Batch {
  items: BatchItem[];
  /** Every message of the owned lanes up to here is in `items` (or in `doomed`). */
  scannedTo: number;
  /** Messages that killed their consumer too often: dead-letter them without another delivery. */
  doomed: BatchItem[];
}

export interface ClaimContext {
  store: Store;
  member: Member;
  type: SubscriptionType;
  lanes: number;
  policy: RetryPolicy;
  batchSize: number;
}

/**
 * Takes the next batch of this consumer's lanes: due retries first, then messages past the lane cursors.
 * Marks the batch in flight in the same transaction, so that the next claim after a crash knows which
 * messages were delivered and not acknowledged: those replay one at a time with their delivery counted.
 * Runs inside the caller's write transaction. Returns null when there is nothing to deliver.
 */
export function claim(ctx: ClaimContext, owned: ReadonlySet<number>): Batch | null {
  const { store, member: m } = ctx;
  const lanes = store.lanes.all(m.topic, m.subscription).filter((l) => owned.has(l.lane) && l.owner === m.id);
  if (!lanes.length) return null;
  const byLane = new Map(lanes.map((l) => [l.lane, l]));
  const items = claimRetries(ctx, byLane);

  for (const l of lanes) if (l.inflight_to > l.cursor) l.recover_to = Math.max(l.recover_to, l.inflight_to);
  const recovering = lanes.some((l) => l.recover_to > l.cursor);
  const limit = recovering ? 1 : ctx.batchSize - items.length;
  const from = Math.min(...lanes.map((l) => l.cursor));
  const fresh: BatchItem[] = [];
  let scannedTo = from;
  while (fresh.length < limit) {
    const page = store.readAfter.all(m.topic, scannedTo, ctx.batchSize);
    for (const message of page) {
      const lane = byLane.get(laneOf(ctx.type, ctx.lanes, message.seq, message.key));
      if (lane && message.seq > lane.cursor)
        fresh.push({ message, lane: lane.lane, attempt: 1, retry: false });
      scannedTo = message.seq;
      if (fresh.length >= limit) break;
    }
    if (page.length < ctx.batchSize) break;
  }

  const doomed: BatchItem[] = [];
  if (recovering && fresh.length === 1) {
    const item = fresh[0]!;
    const lane = byLane.get(item.lane)!;
    // delivered in the crashed batch once, plus each single replay that also died
    lane.recover_runs = lane.inflight_to === item.message.seq ? lane.recover_runs + 1 : 1;
    item.attempt = lane.recover_runs + 1;
    if (item.attempt > ctx.policy.maxAttempts) doomed.push(fresh.pop()!);
  }
  const claimed = items.length + fresh.length + doomed.length > 0;
  for (const l of lanes) {
    if (claimed) saveLane(store, m, l, l.cursor, Math.max(l.cursor, scannedTo));
    // nothing of these lanes up to scannedTo: move past it without a delivery
    else if (scannedTo > l.cursor) saveLane(store, m, l, scannedTo, scannedTo);
  }
  return claimed ? { items: items.concat(fresh), scannedTo, doomed } : null;
}

function claimRetries(ctx: ClaimContext, byLane: Map<number, LaneRow>): BatchItem[] {
  const { store, member: m } = ctx;
  const items: BatchItem[] = [];
  for (const row of store.dueRetries.all(m.topic, m.subscription, Date.now(), ctx.batchSize)) {
    if (!byLane.has(row.lane)) continue;
    // counted before the handler runs, so a consumer that dies on a retry still uses up an attempt
    store.countAttempt.run(m.topic, m.subscription, row.seq);
    const { lane, attempts, ...message } = row;
    items.push({ message, lane, attempt: attempts + 1, retry: true });
  }
  return items;
}

export function saveLane(store: Store, m: Member, l: LaneRow, cursor: number, inflightTo: number): void {
  const runs = cursor >= l.recover_to ? 0 : l.recover_runs;
  store.saveLane.run(cursor, inflightTo, l.recover_to, runs, m.topic, m.subscription, l.lane);
}
