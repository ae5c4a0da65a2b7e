import { median, money, robustSd, where, type Finding, type InventoryEvent } from './findings.js';

export interface RuleThresholds {
  PRICE_MAX_RATIO: number;
  PRICE_MAD_K: number;
  PRICE_MIN_HISTORY: number;
  QUANTITY_TOLERANCE: number;
  QUANTITY_TOLERANCE_SHARE: number;
  STOCK_TRUST_REPORTS: number;
}

/** Of its latest comparable reports (newest last), whether each reconciled: last − sold + received. */
export const RECONCILED_KEPT = 10;

/**
 * A series' stock reports are judged once they have shown they reconcile: `need` of the latest ten did, and
 * at least 70 % of them. A source whose stock never reconciles with its sales (receipts not reported, counts
 * from another system) is not flooded with "shrinkage": its stock rules wait until it does.
 */
export function trusted(reconciled: readonly boolean[], need: number): boolean {
  const ok = reconciled.filter(Boolean).length;
  return ok >= need && ok >= 0.7 * reconciled.length;
}

/** The last trusted stock report of a product at a store. */
export interface Baseline {
  timestamp: string;
  quantity: number;
  /** The report before was itself an anomaly: compare the next one with nothing (resynchronise). */
  flagged: boolean;
}

const rule = (e: InventoryEvent, type: string, f: Omit<Finding, 'detector' | 'type' | 'cause'>): Finding => ({
  detector: 'rules',
  type,
  cause: `rules:${type}:${e.event_id}`,
  ...f,
});

/**
 * A price far from the product's recent median at this store — both a ratio and a robust z-score beyond limits —
 * and outside the range of its recent prices.
 */
export function priceRule(
  e: InventoryEvent,
  recent: readonly number[],
  t: RuleThresholds,
): Finding | undefined {
  if (e.price === 0) {
    return rule(e, 'zero_price', {
      severity: 'warning',
      score: 1,
      explanation: `${where(e)} was reported with a price of 0; check the price list or the till.`,
    });
  }
  if (recent.length < t.PRICE_MIN_HISTORY) return undefined;
  const usual = median(recent);
  if (!(usual > 0)) return undefined;
  const ratio = e.price / usual;
  const z = Math.abs(e.price - usual) / Math.max(robustSd(recent), 0.01 * usual);
  if (ratio < t.PRICE_MAX_RATIO && ratio > 1 / t.PRICE_MAX_RATIO) return undefined;
  if (z < t.PRICE_MAD_K) return undefined;
  // a price the series has itself shown among its recent ones is its own (tiers, bulk prices), not an error
  if (e.price >= Math.min(...recent) && e.price <= Math.max(...recent)) return undefined;
  const times = ratio >= 1 ? `${ratio.toFixed(1)} times` : `${(1 / ratio).toFixed(1)} times less than`;
  return rule(e, ratio >= 1 ? 'price_spike' : 'price_drop', {
    severity: ratio >= 5 || ratio <= 0.2 ? 'critical' : 'warning',
    score: z,
    explanation: `${where(e)} was priced ${money(e.price)}, ${times} its usual ${money(usual)}; check for a pricing or scanning error.`,
  });
}

/**
 * Stock against the last trusted report: negative stock; a fall with no sales recorded; more stock than
 * receipts explain; more gone than sales explain (shrinkage). Only for reports that state their sales
 * (`units_sold`): for the original six-field records a fall in stock *is* the sales figure; and only for a
 * series whose reports have been reconciling (`reconciled`, see `trusted`). `reconciles` says how this report
 * did (undefined when it could not be compared).
 */
export function stockRules(
  e: InventoryEvent,
  before: Baseline | undefined,
  reconciled: readonly boolean[],
  t: RuleThresholds,
) {
  const findings: Finding[] = [];
  const unjudged = undefined as boolean | undefined;
  if (e.quantity === undefined) return { findings, change: 0, reconciles: unjudged };
  const comparable =
    before && !before.flagged && e.units_sold !== undefined && e.event_timestamp > before.timestamp;
  const expected =
    comparable && before ? before.quantity - e.units_sold! + (e.units_received ?? 0) : e.quantity;
  const change = e.quantity - expected;
  if (e.quantity < 0) {
    findings.push(
      rule(e, 'negative_stock', {
        severity: 'critical',
        score: -e.quantity,
        explanation: `${where(e)} reported ${e.quantity} units in stock, which is impossible; recount the shelf and check unrecorded sales.`,
      }),
    );
    return { findings, change, reconciles: unjudged };
  }
  if (!comparable || !before) return { findings, change, reconciles: unjudged };
  const tolerance = Math.max(t.QUANTITY_TOLERANCE, t.QUANTITY_TOLERANCE_SHARE * Math.abs(before.quantity));
  const reconciles: boolean | undefined = Math.abs(change) <= tolerance;
  if (reconciles || !trusted(reconciled, t.STOCK_TRUST_REPORTS)) return { findings, change, reconciles };
  const units = Math.abs(change);
  const size = units / Math.max(before.quantity, 10);
  const severity = size >= 0.5 ? 'critical' : 'warning';
  if (e.units_sold === 0 && e.quantity < before.quantity) {
    findings.push(
      rule(e, 'stock_drop_without_sales', {
        severity,
        score: size,
        explanation: `Stock of ${where(e)} fell from ${before.quantity} to ${e.quantity} with no sales recorded; check for theft, damage or a missed sale.`,
      }),
    );
  } else if (change > 0) {
    findings.push(
      rule(e, 'unexplained_increase', {
        severity,
        score: size,
        explanation: `Stock of ${where(e)} rose to ${e.quantity}, ${units} units more than sales and receipts explain; check for an unrecorded delivery or a miscount.`,
      }),
    );
  } else {
    findings.push(
      rule(e, 'shrinkage', {
        severity,
        score: size,
        explanation: `${units} more units of ${where(e)} left the shelf than were sold; check for theft, damage or returns to the supplier.`,
      }),
    );
  }
  return { findings, change, reconciles };
}
