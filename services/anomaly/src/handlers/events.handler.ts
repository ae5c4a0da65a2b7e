import type { Delivery } from '@stockpulse/bus';
import { causedBy, message, type Envelope } from '@stockpulse/contracts';
import type { Inbox, Outbox } from '@stockpulse/service-kit';
import type { Detectors } from '../detectors.js';

/**
 * A batch of inventory events, each run through every detector exactly once (inbox), in one transaction with
 * what the detectors remember (written once per series, at the batch's end) and the new anomalies' messages
 * (outbox). An anomaly's message carries the event's correlation id (the generator job that made it, for
 * scoring) and the event's message as its cause.
 */
export function eventsHandler(inbox: Inbox, outbox: Outbox, detectors: Detectors) {
  return (deliveries: Delivery<Envelope<'stockpulse.inventory-events'>>[]): void => {
    try {
      inbox.handleBatch(deliveries, (fresh) => {
        for (const { envelope } of fresh) {
          const found = detectors.onEvent(envelope.payload, envelope.correlation_id);
          if (!found.length) continue;
          const meta = causedBy(envelope, 'anomaly');
          outbox.enqueue(found.map((anomaly) => message('stockpulse.anomalies', anomaly, meta)));
        }
        detectors.finish();
      });
    } catch (err) {
      detectors.forget(); // rolled back: what they remembered of this batch is not in the store
      throw err;
    }
  };
}
