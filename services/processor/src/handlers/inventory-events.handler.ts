import type { Delivery } from '@stockpulse/bus';
import type { Envelope } from '@stockpulse/contracts';
import type { Inbox } from '@stockpulse/service-kit';
import type { StateRepository } from '../db/state.repository.js';

type EventDelivery = Delivery<Envelope<'stockpulse.inventory-events'>>;

/** How long one transaction may hold the event loop (reads and health checks wait behind it). */
const TRANSACTION_BUDGET_MS = 300;
const MIN_CHUNK = 100;

/**
 * A batch of inventory events, each applied exactly once: the inbox records the message ids in the same
 * transaction as the state changes (the snapshot's unique event id also makes a second message carrying the
 * same event a no-op). A large batch (a backlog) goes in chunks, each its own transaction, sized so that one
 * takes about TRANSACTION_BUDGET_MS, with the event loop free between them; a crash after some chunks
 * committed redelivers the batch, and the inbox skips what they applied. Dirty windows wait for the flusher.
 */
export function inventoryEventsHandler(
  inbox: Inbox,
  state: StateRepository,
  onBatch: (size: number) => void,
) {
  let chunk = 1000; // events per transaction, adjusted to the budget as it goes
  const apply = (deliveries: EventDelivery[]) => {
    try {
      inbox.handleBatch(deliveries, (fresh) => {
        for (const { envelope } of fresh)
          state.apply(envelope.payload, Date.parse(envelope.payload.received_at));
        state.finish();
      });
    } catch (err) {
      state.forget(); // rolled back: what it remembered of this batch is not in the store
      throw err;
    }
  };
  return async (deliveries: EventDelivery[]): Promise<void> => {
    for (let at = 0; at < deliveries.length;) {
      if (at > 0) await new Promise((resolve) => setImmediate(resolve));
      const part = deliveries.slice(at, at + chunk);
      const t0 = performance.now();
      apply(part);
      at += part.length;
      const ms = performance.now() - t0;
      if (part.length === chunk || ms > TRANSACTION_BUDGET_MS)
        chunk = Math.max(MIN_CHUNK, Math.round(chunk * Math.min(2, TRANSACTION_BUDGET_MS / Math.max(ms, 1))));
    }
    onBatch(deliveries.length);
  };
}
