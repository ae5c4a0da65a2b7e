import type { InventoryEventPayload } from '@stockpulse/contracts';

const DAY = 86_400_000;
const start = Date.parse('2025-03-01T20:00:00Z');

/**
 * Day `d` of a steady product at NYC (event id `<id prefix>-<d>`): 100 in stock, 5 sold and 5 received a day,
 * price 10, the same description every day.
 */
export const steadyReport = (
  d: number,
  product = 'P001',
  fields: Partial<InventoryEventPayload> = {},
  idPrefix = product,
): InventoryEventPayload => ({
  event_id: `${idPrefix}-${d}`,
  product_id: product,
  store_location: 'NYC',
  category: 'Books',
  description: 'Penwright hardcover novel signed by the author',
  quantity: 100,
  units_sold: 5,
  units_received: 5,
  price: 10,
  event_timestamp: new Date(start + d * DAY).toISOString(),
  received_at: new Date(start + d * DAY).toISOString(),
  source: 'api',
  ...fields,
});
