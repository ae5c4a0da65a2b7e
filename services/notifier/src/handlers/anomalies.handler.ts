import type { Delivery } from '@stockpulse/bus';
import type { Envelope } from '@stockpulse/contracts';
import type { Inbox } from '@stockpulse/service-kit';
import { fromAnomaly, SEVERITY_RANK, type Severity } from '../domain/signals.js';
import type { Notifications } from '../notifications.js';

/** Each anomaly at or above the minimum severity, exactly once (inbox), raised as a notification signal. */
export function anomaliesHandler(
  inbox: Inbox,
  notifications: Notifications,
  options: { minSeverity: Severity; groupBy: 'product' | 'store' },
) {
  return (deliveries: Delivery<Envelope<'stockpulse.anomalies'>>[]): void => {
    inbox.handleBatch(deliveries, (fresh) => {
      for (const { envelope } of fresh) {
        const a = envelope.payload;
        if (SEVERITY_RANK[a.severity] < SEVERITY_RANK[options.minSeverity]) continue;
        notifications.raise(fromAnomaly(a, options.groupBy), {
          id: a.id,
          type: a.type,
          severity: a.severity,
          explanation: a.explanation,
          product_id: a.product_id,
          store_location: a.store_location,
          event_timestamp: a.event_timestamp,
        });
      }
    });
  };
}
