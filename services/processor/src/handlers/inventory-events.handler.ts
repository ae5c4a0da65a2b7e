import type { Delivery } from '@stockpulse/bus';
import type { Envelope } from '@stockpulse/contracts';
import type { Inbox } from '@stockpulse/service-kit';
import type { StateRepository } from '../db/state.repository.js';

/**
 * One inventory event, applied exactly once: the inbox records its message id in the same transaction
 * as the state change (the snapshot's unique event id also makes a second message with the same event a
 * no-op). Dirty windows wait for the flusher.
 */
export function inventoryEventHandler(inbox: Inbox, state: StateRepository, onChange: () => void) {
  return (delivery: Delivery<Envelope<'stockpulse.inventory-events'>>): void => {
    const receivedAt = Date.parse(delivery.envelope.payload.received_at);
    inbox.handleOnce(delivery, () => void state.apply(delivery.envelope.payload, receivedAt));
    onChange();
  };
}
