import type { Delivery } from '@stockpulse/bus';
import type { Envelope } from '@stockpulse/contracts';
import type { Inbox } from '@stockpulse/service-kit';
import type { DemandRepository } from '../db/demand.repository.js';

/**
 * Daily demand from the processor, exactly once per message: recorded, and the series of complete days it
 * changes marked for training. Today's figure is recorded too but changes no series until the day is over.
 */
export function metricsHandler(
  inbox: Inbox,
  demand: DemandRepository,
  horizon: number,
  today: () => string,
  onBatch: (size: number) => void = () => {},
) {
  return (deliveries: Delivery<Envelope<'stockpulse.inventory-metrics'>>[]): void => {
    inbox.handleBatch(deliveries, (fresh) => {
      const day = today();
      for (const { envelope } of fresh) {
        const p = envelope.payload;
        if (p.kind === 'daily_demand') demand.record(p, horizon, p.date < day);
      }
    });
    onBatch(deliveries.length);
  };
}
