import { createHash } from 'node:crypto';
import type { AcceptedRecord } from './record.js';

/**
 * An id derived from what the record says (identifiers, quantities, price, normalised timestamp): sending
 * the same record again, in any format, yields the same id and so counts as a duplicate, not a second event.
 */
export function deriveEventId(record: Omit<AcceptedRecord, 'event_id'>): string {
  const canonical = JSON.stringify([
    record.product_id,
    record.store_location,
    record.category,
    record.event_timestamp,
    record.quantity ?? null,
    record.units_sold ?? null,
    record.units_received ?? null,
    record.price,
    record.description ?? null,
  ]);
  return `ev-${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}
