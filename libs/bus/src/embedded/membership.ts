import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { InitialPosition, SubscriptionType } from '../port.js';
import type { ConsumerRow, Store } from './store.js';

/** Lanes of a shared or key_shared subscription: the most consumers that can share it. */
export const LANES = 16;

/**
 * Where a consumer's pid means something: the host and, on Linux, its pid namespace (two containers may
 * share a host name but not a pid namespace). Consumers elsewhere are judged by their lease alone.
 */
export const HOST = `${hostname()}${pidNamespace()}`;

function pidNamespace(): string {
  try {
    return `/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return '';
  }
}

export class ConsumerBusyError extends Error {
  override readonly name = 'ConsumerBusyError';
}

export interface Member {
  id: string;
  topic: string;
  subscription: string;
}

/** A consumer on this host whose process is gone is dead at once; any consumer past its lease is dead too. */
function isDead(c: ConsumerRow, now: number): boolean {
  if (c.lease_until < now) return true;
  if (c.host !== HOST) return false;
  try {
    process.kill(c.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Forgets dead consumers of a subscription and frees their lanes; returns the live ones, sorted by id. */
function liveConsumers(store: Store, m: Member, now: number): ConsumerRow[] {
  const live: ConsumerRow[] = [];
  for (const c of store.consumers.all(m.topic, m.subscription)) {
    if (c.id !== m.id && isDead(c, now)) {
      store.deleteConsumer.run(c.id);
      store.releaseAll.run(c.id);
    } else live.push(c);
  }
  return live;
}

/**
 * Creates the subscription on first use (at the earliest retained message or after the latest one) and
 * registers the consumer. Refuses a second live consumer on an exclusive subscription, and a type that
 * differs from the subscription's. Returns the subscription's number of lanes.
 */
export function join(
  store: Store,
  m: Member,
  type: SubscriptionType,
  initialPosition: InitialPosition,
  leaseMs: number,
): number {
  const now = Date.now();
  const existing = store.subscription.get(m.topic, m.subscription);
  if (existing && existing.type !== type) {
    throw new Error(`subscription '${m.subscription}' on ${m.topic} is ${existing.type}, not ${type}`);
  }
  if (!existing) {
    const lanes = type === 'exclusive' ? 1 : LANES;
    const start = initialPosition === 'latest' ? (store.lastSeq.get()?.seq ?? 0) : 0;
    store.createSubscription.run(m.topic, m.subscription, type, lanes, now);
    for (let lane = 0; lane < lanes; lane++)
      store.createLane.run(m.topic, m.subscription, lane, start, start);
  }
  const others = liveConsumers(store, m, now).filter((c) => c.id !== m.id);
  if (type === 'exclusive' && others.length > 0) {
    const holder = others[0]!;
    throw new ConsumerBusyError(
      `subscription '${m.subscription}' on ${m.topic} is exclusive and already has a live consumer (${holder.host} pid ${holder.pid})`,
    );
  }
  store.upsertConsumer.run(m.id, m.topic, m.subscription, HOST, process.pid, now + leaseMs);
  return existing?.lanes ?? (type === 'exclusive' ? 1 : LANES);
}

/**
 * Renews this consumer's lease and divides the lanes among live consumers: lane i belongs to the consumer at
 * index i mod n (sorted by id). A consumer gives up lanes no longer its own (it is called between batches, so
 * nothing of them is in flight) and takes its own lanes once their previous owner has let go or died.
 */
export function rebalance(store: Store, m: Member, leaseMs: number): Set<number> {
  const now = Date.now();
  store.upsertConsumer.run(m.id, m.topic, m.subscription, HOST, process.pid, now + leaseMs);
  const live = liveConsumers(store, m, now).map((c) => c.id);
  const index = live.indexOf(m.id);
  const owned = new Set<number>();
  for (const lane of store.lanes.all(m.topic, m.subscription)) {
    const mine = lane.lane % live.length === index;
    if (lane.owner === m.id && !mine) store.setOwner.run(null, m.topic, m.subscription, lane.lane);
    else if (mine && (lane.owner === null || lane.owner === m.id)) {
      if (lane.owner === null) store.setOwner.run(m.id, m.topic, m.subscription, lane.lane);
      owned.add(lane.lane);
    }
  }
  return owned;
}

/** Leaves the subscription: frees the lanes at once so another consumer can take them without waiting. */
export function leave(store: Store, m: Member): void {
  store.releaseAll.run(m.id);
  store.deleteConsumer.run(m.id);
}
