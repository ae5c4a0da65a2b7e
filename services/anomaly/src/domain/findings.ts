import type { InventoryEventPayload } from '@stockpulse/contracts';

export type Severity = 'info' | 'warning' | 'critical';
export type Detector = 'rules' | 'forecast_residual' | 'isolation_forest' | 'text';
export type InventoryEvent = InventoryEventPayload;

/** One thing a detector found, before it is stored as an anomaly. */
export interface Finding {
  detector: Detector;
  type: string;
  severity: Severity;
  score: number;
  /** One sentence a store manager understands: what, where, and what to check. */
  explanation: string;
  /** Two findings with the same cause are one anomaly (reported once). */
  cause: string;
}

export const median = (xs: readonly number[]): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Median absolute deviation, scaled to a standard deviation for normal data. */
export const robustSd = (xs: readonly number[]): number => {
  const m = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
};

export const where = (e: Pick<InventoryEvent, 'product_id' | 'store_location' | 'category'>) =>
  `${e.product_id} (${e.category}) at ${e.store_location}`;

export const money = (x: number) => x.toFixed(2);
