import {
  partitionOf,
  REPLENISHMENT_CSV,
  REPLENISHMENT_ORDER,
  replenishmentCsv,
  type ReplenishmentItem,
} from '@stockpulse/contracts';
import { compareBy, parseSort, type FieldOf, type Order } from '@stockpulse/service-kit';

export { replicaUrls } from '@stockpulse/service-kit';

/**
 * How the gateway answers for a service that runs as one replica per partition of the stores (PARTITIONS > 1):
 * - a query that names a store goes to the one replica that owns it;
 * - a list (the paths below) goes to every replica, for the first `offset + limit` of each, and is merged in
 *   the order asked for (`sort`, read as the services read it, the list's own order breaking ties), paged, and
 *   totalled as if one store held everything; a list's CSV (`format=csv`) is made from every replica's whole
 *   list merged so, written as its service writes it;
 * - anything else names a record by id (an anomaly, a notification): asked of each replica in turn until one
 *   knows it, so that a write lands exactly once; webhooks, which every replica sends, are written to all.
 */

/**
 * A merged list: its default order (the tie-break of every sort), the default and largest `limit` its service
 * takes, where a sort column's value is in an item when it is not the field of that name, and how its service
 * writes the whole list as CSV, if it does.
 */
export interface MergedList {
  order: Order;
  defaultLimit: number;
  maxLimit: number;
  field?: FieldOf;
  csv?: { type: string; disposition: string; write: (items: Record<string, unknown>[]) => string };
}

const list = (
  order: Order,
  defaultLimit: number,
  maxLimit: number,
  more: Partial<MergedList> = {},
): MergedList => ({
  order,
  defaultLimit,
  maxLimit,
  ...more,
});

/** Severity sorts by rank, as the anomaly and notifier services sort it (SQL `CASE`). */
const SEVERITY_RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };
const bySeverity: FieldOf = (item, column) =>
  column === 'severity' ? SEVERITY_RANK[String(item.severity)] : item[column];
/** A forecast's advice columns are in its `advice` (none for a category series: sorted as NULL). */
const ADVICE = ['on_hand', 'safety_stock', 'reorder_point', 'stockout_date', 'suggested_order_qty'];
const byAdvice: FieldOf = (item, column) =>
  ADVICE.includes(column) ? (item.advice as Record<string, unknown> | undefined)?.[column] : item[column];

export const MERGED_LISTS: Readonly<Record<string, MergedList>> = {
  '/api/inventory': list(
    [
      ['store_location', 1],
      ['product_id', 1],
    ],
    500,
    10_000,
  ),
  '/api/metrics': list(
    [
      ['window_start', 1],
      ['store_location', 1],
      ['category', 1],
    ],
    500,
    10_000,
  ),
  '/api/forecasts': list(
    [
      ['store_location', 1],
      ['category', 1],
      ['product_id', 1],
    ],
    100,
    1000,
    { field: byAdvice },
  ),
  '/api/anomalies': list(
    [
      ['event_timestamp', -1],
      ['id', 1],
    ],
    100,
    10_000,
    { field: bySeverity },
  ),
  '/api/anomalies/notes': list(
    [
      ['score', -1],
      ['id', 1],
    ],
    100,
    10_000,
  ),
  '/api/notifications': list(
    [
      ['last_seen', -1],
      ['id', 1],
    ],
    100,
    1000,
    { field: bySeverity },
  ),
  '/api/replenishment': list(REPLENISHMENT_ORDER, 100, 1000, {
    csv: {
      ...REPLENISHMENT_CSV,
      write: (items) => replenishmentCsv(items as unknown as ReplenishmentItem[]),
    },
  }),
};

/**
 * The order a request asks a merged list for: its `sort` read as the services read it, the list's order appended
 * as the tie-break. The services judge the names (a replica's 400 is passed on); what the gateway cannot read
 * (an empty name) it leaves to them too, by merging in the list's own order meanwhile.
 */
export function orderOf(merged: MergedList, query: URLSearchParams): Order {
  try {
    return parseSort(query.get('sort') ?? undefined, merged.order);
  } catch {
    return merged.order;
  }
}

/**
 * Paths written to every replica: each replica sends its own stores' notifications to the same webhooks, under
 * the same mute windows.
 */
export const BROADCAST = ['/api/webhooks', '/api/mutes'];

/** The one replica a query names by its store, if it does. */
export function ownerOf(query: URLSearchParams, partitions: number): number | undefined {
  const store = query.get('store');
  return store === null ? undefined : partitionOf(store, partitions);
}

export interface Page {
  items: Record<string, unknown>[];
  total: number;
}

/**
 * The replicas' first `offset + limit` each, merged in an order, paged as one list would be: compared as SQLite
 * sorts rows (NULL first ascending, text by its UTF-8 bytes), so as each service sorted its part.
 */
export function mergePages(
  pages: readonly Page[],
  order: Order,
  offset: number,
  limit: number,
  field?: FieldOf,
): Page {
  const all = pages.flatMap((p) => p.items).sort(compareBy(order, field));
  return { items: all.slice(offset, offset + limit), total: pages.reduce((sum, p) => sum + p.total, 0) };
}
