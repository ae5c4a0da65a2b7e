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
  doomed: { item: BatchItem; deliveries: number }[];
  /** Replaying what a dead consumer had, one message at a time: the next claim needs no page read ahead. */
  recovering: boolean;
}

/**
 * A page of the log read before the write transaction (messages never change once written, and any message
 * committed after the read has a higher seq), so the lock is not held while a page of bodies is read.
 */
export interface Prefetched {
  after: number;
  page: StoredMessage[];
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
 * Marks the batch in flight in the same transaction, so the next claim after a crash knows which messages
 * its consumer had and did not acknowledge. Those replay one at a time (a message delivered to a consumer
 * that died counts as delivered: attempt 2, as the Pulsar adapter's in-hand ledger counts it); a message whose lone replay kills its consumer
 * `maxAttempts` times is dead-lettered instead of delivered again, and so is a retry whose delivery killed
 * its consumer at the last attempt. Runs inside the caller's write transaction; null when there is nothing.
 */
export function claim(ctx: ClaimContext, owned: ReadonlySet<number>, prefetched?: Prefetched): Batch | null {
  const { store, member: m, policy } = ctx;
  const lanes = store.lanes.all(m.topic, m.subscription).filter((l) => owned.has(l.lane) && l.owner === m.id);
  if (!lanes.length) return null;
  const byLane = new Map(lanes.map((l) => [l.lane, l]));
  for (const l of lanes) if (l.inflight_to > l.cursor) l.recover_to = Math.max(l.recover_to, l.inflight_to);
  const recovering = lanes.some((l) => l.recover_to > l.cursor);
  // after a crash, one message at a time, so that a message that kills its consumer is found for certain
  const limit = recovering ? 1 : ctx.batchSize;
  // a lone replay needs one message: reading a whole batch's page of bodies for it made a recovery of a
  // 1,000-message batch read a million rows
  const pageSize = recovering ? RECOVERY_PAGE : ctx.batchSize;

  const doomed: Batch['doomed'] = [];
  const items = claimRetries(ctx, limit).filter((item) => {
    // counted at claim time: reaching the limit here means the last delivery never came back
    if (item.attempt <= policy.maxAttempts) return true;
    doomed.push({ item, deliveries: item.attempt - 1 });
    return false;
  });

  const fresh: BatchItem[] = [];
  const from = Math.min(...lanes.map((l) => l.cursor));
  let scannedTo = from;
  while (items.length + fresh.length < limit) {
    const page =
      prefetched?.after === scannedTo ? prefetched.page : store.readAfter.all(m.topic, scannedTo, pageSize);
    for (const message of page) {
      const lane = byLane.get(laneOf(ctx.type, ctx.lanes, message.seq, message.key));
      if (lane && message.seq > lane.cursor)
        fresh.push({ message, lane: lane.lane, attempt: 1, retry: false });
      scannedTo = message.seq;
      if (items.length + fresh.length >= limit) break;
    }
    if (page.length < (page === prefetched?.page ? ctx.batchSize : pageSize)) break;
  }

  let replaying = 0;
  if (recovering && fresh.length === 1) {
    const item = fresh[0]!;
    const lane = byLane.get(item.lane)!;
    // lone replays of this very message that did not come back
    lane.recover_runs =
      lane.replaying === item.message.seq && lane.inflight_to > lane.cursor ? lane.recover_runs + 1 : 0;
    if (item.message.seq <= lane.recover_to) item.attempt = lane.recover_runs + 2;
    if (lane.recover_runs >= policy.maxAttempts) {
      doomed.push({ item: fresh.pop()!, deliveries: lane.recover_runs + 1 });
    } else replaying = item.message.seq;
  }

  const claimed = items.length + fresh.length + doomed.length > 0;
  for (const l of lanes) {
    if (claimed) saveLane(store, m, l, l.cursor, Math.max(l.cursor, scannedTo), replaying);
    // nothing of these lanes up to scannedTo: move past it without a delivery
    else if (scannedTo > l.cursor) saveLane(store, m, l, scannedTo, scannedTo, 0);
  }
  return claimed ? { items: items.concat(fresh), scannedTo, doomed, recovering } : null;
}

const RECOVERY_PAGE = 16;

function claimRetries(ctx: ClaimContext, limit: number): BatchItem[] {
  const { store, member: m } = ctx;
  return store.dueRetries.all(m.topic, m.subscription, m.id, Date.now(), limit).map((row) => {
    // counted before the handler runs, so a consumer that dies on a retry still uses up an attempt
    store.countAttempt.run(m.topic, m.subscription, row.seq);
    const { lane, attempts, ...message } = row;
    return { message, lane, attempt: attempts + 1, retry: true };
  });
}

export function saveLane(
  store: Store,
  m: Member,
  l: LaneRow,
  cursor: number,
  inflightTo: number,
  replaying: number,
): void {
  const runs = cursor >= l.recover_to ? 0 : l.recover_runs;
  store.saveLane.run(cursor, inflightTo, l.recover_to, runs, replaying, m.topic, m.subscription, l.lane);
}
