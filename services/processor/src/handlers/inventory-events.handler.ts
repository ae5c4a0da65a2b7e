import type { Delivery } from '@stockpulse/bus';
import type { Envelope } from '@stockpulse/contracts';
import type { Inbox } from '@stockpulse/service-kit';
import type { StateRepository } from '../db/state.repository.js';

/**
 * A batch of inventory events, each applied exactly once, all in one transaction: the inbox records the
 * message ids in the same transaction as the state changes (the snapshot's unique event id also makes a
 * second message carrying the same event a no-op). Dirty windows wait for the flusher.
 */
export function inventoryEventsHandler(
  inbox: Inbox,
  state: StateRepository,
  onBatch: (size: number) => void,
) {
  return (deliveries: Delivery<Envelope<'stockpulse.inventory-events'>>[]): void => {
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
    onBatch(deliveries.length);
  };
}
