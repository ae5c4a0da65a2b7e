import { deadLetterTopic } from '@stockpulse/contracts';
import { deadLetterProperties, type Outcome } from '../dispatch.js';
import { saveLane, type Batch, type BatchItem, type ClaimContext } from './claim.js';
import { parseProperties } from './store.js';

/**
 * Acknowledges the handled prefix of a batch: lane cursors move past it, failures wait in `retries`, dead
 * letters are appended to `<topic>.<subscription>.dlq` in the same transaction, so a crash can neither lose
 * nor duplicate them. Lanes this consumer lost meanwhile (its lease ran out) are left alone: their new owner
 * delivers those messages again. Runs inside the caller's write transaction; returns the dead letters added.
 */
export function commit(ctx: ClaimContext, batch: Batch, outcomes: readonly Outcome[]): number {
  const { store, member: m } = ctx;
  const now = Date.now();
  const lanes = new Map(
    store.lanes
      .all(m.topic, m.subscription)
      .filter((l) => l.owner === m.id)
      .map((l) => [l.lane, l]),
  );
  let deadLetters = 0;
  const deadLetter = (item: BatchItem, error: string, attempts = item.attempt) => {
    const properties = deadLetterProperties(m, { error, attempts }, parseProperties(item.message.properties));
    const topic = deadLetterTopic(m.topic, m.subscription);
    store.append.run(topic, item.message.key, now, JSON.stringify(properties), item.message.body);
    deadLetters++;
  };

  outcomes.forEach((outcome, i) => {
    const item = batch.items[i]!;
    if (!lanes.has(item.lane)) return;
    const { seq } = item.message;
    if (outcome.kind === 'retry') {
      store.insertRetry.run(
        m.topic,
        m.subscription,
        seq,
        item.lane,
        item.attempt,
        now + outcome.delayMs,
        outcome.error,
      );
      return;
    }
    if (outcome.kind === 'dead') deadLetter(item, outcome.error);
    if (item.retry) store.deleteRetry.run(m.topic, m.subscription, seq);
  });
  for (const { item, deliveries } of batch.doomed) {
    if (!lanes.has(item.lane)) continue;
    deadLetter(item, `its consumer died ${deliveries} times while handling it`, deliveries);
    if (item.retry) store.deleteRetry.run(m.topic, m.subscription, item.message.seq);
  }

  const handledFresh = batch.items.slice(0, outcomes.length).filter((i) => !i.retry);
  const allFresh = batch.items.filter((i) => !i.retry);
  const position =
    handledFresh.length === allFresh.length ? batch.scannedTo : (handledFresh.at(-1)?.message.seq ?? 0);
  for (const l of lanes.values()) {
    const cursor = Math.max(l.cursor, position);
    saveLane(store, m, l, cursor, cursor, 0);
  }
  return deadLetters;
}
