import { where, type Finding, type InventoryEvent } from './findings.js';
import type { Features } from './iforest.js';

/** The forest's features that need arithmetic of their own, and the forest's finding. */

/** Days between the last stock report and this event; undefined without one, or for a late event. */
export function daysSince(before: { timestamp: string } | undefined, e: InventoryEvent): number | undefined {
  if (!before) return undefined;
  const days = (Date.parse(e.event_timestamp) - Date.parse(before.timestamp)) / 86_400_000;
  return days > 0 ? days : undefined;
}

/**
 * How surprising `sold` is when `expected` was expected over the same time: z = (sold − expected) /
 * √(expected + 1), a Poisson-like z-score, so reports a day apart and reports seconds apart are judged alike;
 * compressed as sign(z)·ln(1 + |z|), so the lumpy sales of slow movers do not look like outliers.
 */
export function surprise(sold: number, expected: number): number {
  const z = (sold - expected) / Math.sqrt(expected + 1);
  return Math.sign(z) * Math.log1p(Math.abs(z));
}

/** Units a series usually sells in `days`, from its recent (units, days) pairs; undefined without a history. */
export function usualSales(recent: [number, number][], days: number): number | undefined {
  const totalDays = recent.reduce((s, [, d]) => s + d, 0);
  if (recent.length < 5 || totalDays <= 0) return undefined;
  return (recent.reduce((s, [u]) => s + u, 0) / totalDays) * days;
}

/**
 * The forest's note on an event among the most unusual it scores, explained by the feature furthest from the
 * ordinary. A note, never an alarm: on inventory data the forest alone was wrong far more often than right
 * (precision 0.004 in the demo); its score ranks events for drill-down.
 */
export function forestNote(e: InventoryEvent, score: number, f: Features): Finding {
  const reasons: [number, string][] = [
    [Math.abs(f.price_ratio), `a price ${Math.exp(f.price_ratio).toFixed(1)} times its usual`],
    [
      Math.abs(f.quantity_change),
      `stock ${f.quantity_change > 0 ? 'up' : 'down'} beyond what sales and receipts explain`,
    ],
    [Math.abs(f.sales_surprise), `sales ${f.sales_surprise > 0 ? 'above' : 'below'} the usual rate`],
  ];
  const [, reason] = reasons.sort((a, b) => b[0] - a[0])[0]!;
  return {
    detector: 'isolation_forest',
    type: 'unusual_event',
    severity: 'info',
    score,
    cause: `isolation_forest:${e.event_id}`,
    explanation: `The report of ${where(e)} is among the most unusual of this shop's reports (score ${score.toFixed(2)}), mainly for ${reason}.`,
  };
}
