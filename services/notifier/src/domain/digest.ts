import { SEVERITY_RANK, type Severity, type Signal } from './signals.js';

/** When a condition that holds may notify: after `observations` forecasts in a row saying so, over `ms`. */
export interface Pending {
  observations: number;
  ms: number;
}

/** A product's stock condition while it holds: seen `observations` times since `first_at`. */
export interface Condition {
  cause: string;
  type: string;
  store_location: string;
  product_id: string;
  severity: Severity;
  first_at: string;
  last_at: string;
  observations: number;
  fired: number;
  signal: Signal;
}

/** True once a condition has held long enough to notify (Grafana's pending period, in observations and time). */
export const hasHeld = (c: Condition, pending: Pending): boolean =>
  c.observations >= pending.observations && Date.parse(c.last_at) - Date.parse(c.first_at) >= pending.ms;

const TITLES: Record<string, string> = {
  below_reorder_point: 'Below reorder point',
  stockout_expected: 'Stock-out expected',
};
/** The notification's message stays within the contract's 4,000 characters: the rest are counted. */
const MAX_LISTED = 40;

/** The cause of a store's digest of one type of stock signal. */
export const digestCause = (type: string, store: string) => `${type}|*|${store}`;

/**
 * One store's digest of one type of stock signal: every product whose condition fired, most severe and then
 * soonest first; its severity the worst of theirs. Updated in place as products join and leave.
 */
export function digestOf(type: string, store: string, members: readonly Condition[]): Signal {
  const sorted = [...members].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      (a.signal.summary ?? '').localeCompare(b.signal.summary ?? '') ||
      a.product_id.localeCompare(b.product_id),
  );
  const n = sorted.length;
  const listed = sorted.slice(0, MAX_LISTED).map((m) => m.signal.summary ?? m.product_id);
  const more = n > MAX_LISTED ? `; and ${n - MAX_LISTED} more` : '';
  const latest = sorted.reduce((a, m) => (m.last_at > a ? m.last_at : a), sorted[0]!.last_at);
  return {
    cause: digestCause(type, store),
    type,
    severity: sorted[0]!.severity,
    store_location: store,
    at: latest,
    title: `${TITLES[type] ?? type}: ${n} product${n === 1 ? '' : 's'} at ${store}`,
    message: `${n} product${n === 1 ? '' : 's'} at ${store}: ${listed.join('; ')}${more}.`,
    summary: sorted.map((m) => m.product_id).join(','),
  };
}
