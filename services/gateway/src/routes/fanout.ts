import { partitionOf } from '@stockpulse/contracts';

export { replicaUrls } from '@stockpulse/service-kit';

/**
 * How the gateway answers for a service that runs as one replica per partition of the stores (PARTITIONS > 1):
 * - a query that names a store goes to the one replica that owns it;
 * - a list (the paths below) goes to every replica, for the first `offset + limit` of each, and is merged in
 *   the list's own order, paged, and totalled as if one store held everything;
 * - anything else names a record by id (an anomaly, a notification): asked of each replica in turn until one
 *   knows it, so that a write lands exactly once; webhooks, which every replica sends, are written to all.
 */

/** A list's order, as its service sorts it: fields, each ascending or descending; the first field decides first. */
type Order = readonly (readonly [field: string, direction: 1 | -1])[];

/** A merged list: its order, and the default and largest `limit` its service takes. */
export interface MergedList {
  order: Order;
  defaultLimit: number;
  maxLimit: number;
}

const list = (order: Order, defaultLimit: number, maxLimit: number): MergedList => ({
  order,
  defaultLimit,
  maxLimit,
});

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
  ),
  '/api/anomalies': list(
    [
      ['event_timestamp', -1],
      ['id', 1],
    ],
    100,
    10_000,
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
  ),
};

/** Paths written to every replica: each replica sends its own stores' notifications to the same webhooks. */
export const BROADCAST = ['/api/webhooks'];

/** The one replica a query names by its store, if it does. */
export function ownerOf(query: URLSearchParams, partitions: number): number | undefined {
  const store = query.get('store');
  return store === null ? undefined : partitionOf(store, partitions);
}

const compare = (order: Order) => (a: Record<string, unknown>, b: Record<string, unknown>) => {
  for (const [field, direction] of order) {
    const x = a[field];
    const y = b[field];
    if (x === y) continue;
    // absent (a category forecast's product) sorts as the service sorts NULL: first when ascending
    if (x === undefined || x === null) return -direction;
    if (y === undefined || y === null) return direction;
    // SQLite compares text by its UTF-8 bytes, JavaScript's < by UTF-16 units: they differ past U+FFFF
    const order =
      typeof x === 'string' && typeof y === 'string'
        ? Buffer.compare(Buffer.from(x), Buffer.from(y))
        : x < y
          ? -1
          : 1;
    return order * direction;
  }
  return 0;
};

export interface Page {
  items: Record<string, unknown>[];
  total: number;
}

/** The replicas' first `offset + limit` each, merged in the list's order, paged as one list would be. */
export function mergePages(pages: readonly Page[], order: Order, offset: number, limit: number): Page {
  const all = pages.flatMap((p) => p.items).sort(compare(order));
  return { items: all.slice(offset, offset + limit), total: pages.reduce((sum, p) => sum + p.total, 0) };
}
