import { CATEGORIES, productType } from './catalogue.js';
import type { Random } from './random.js';
import type { DayReport, InventoryEvent } from './simulate.js';

export interface Label {
  event_id: string;
  kind: AnomalyKind;
  /** What was done, for a human reading a missed detection. */
  detail: string;
}

/** Never two anomalies on one store × product within 3 days: each must be judged against a clean past. */
const GAP = 4;

interface Recipe {
  /** Whether the kind keeps its exact meaning on this report (no drop "without receipt" on a delivery day). */
  eligible(r: DayReport): boolean;
  /** Corrupts `e`, a copy of the clean event, and says how. */
  apply(e: InventoryEvent, rng: Random): string;
}

const cents = (x: number) => Math.round(x * 100) / 100;
const noReceipt = (r: DayReport) => r.previous !== undefined && r.event.units_received === undefined;

/** Each kind the way this generator does it; the order of the keys is the order the kinds take turns in. */
const RECIPES = {
  price_spike: {
    // not on the first day of a promotion, so the spike is ≥ 4 × yesterday's price as well as today's
    eligible: (r) => r.previous !== undefined && r.event.price >= r.previous.price,
    apply(e, rng) {
      const clean = e.price;
      if (rng.bernoulli(0.35)) {
        const slip = rng.pick([10, 100]);
        e.price = cents(clean * slip);
        return `decimal slip: ${clean.toFixed(2)} keyed as ${e.price.toFixed(2)} (×${slip})`;
      }
      const factor = rng.uniform(4, 12);
      e.price = Math.ceil(clean * factor * 100 - 1e-6) / 100;
      return `price ${clean.toFixed(2)} → ${e.price.toFixed(2)} (×${factor.toFixed(1)})`;
    },
  },
  quantity_spike: {
    eligible: noReceipt,
    apply(e, rng) {
      const clean = e.quantity;
      if (clean >= 10 && rng.bernoulli(0.5)) {
        e.quantity = clean * 10 + rng.int(0, 9);
        return `stock ${clean} keyed with an extra digit: ${e.quantity}`;
      }
      const extra = Math.max(rng.int(50, 500), 5 * clean);
      e.quantity = clean + extra;
      return `${extra} units appeared without a receipt: stock ${clean} → ${e.quantity}`;
    },
  },
  negative_stock: {
    eligible: (r) => r.previous !== undefined,
    apply(e, rng) {
      const clean = e.quantity;
      e.quantity = -rng.int(1, 40);
      return `stock ${clean} reported as ${e.quantity}`;
    },
  },
  stock_drop_without_sales: {
    // below 10 units a 35 % drop is three units: a miscount, not a disappearance
    eligible: (r) => noReceipt(r) && r.event.quantity >= 10,
    apply(e, rng) {
      const clean = e.quantity;
      const drop = rng.uniform(0.35, 0.9);
      e.quantity = Math.floor(clean * (1 - drop));
      e.units_sold = 0;
      return `stock ${clean} reported as ${e.quantity} (${Math.round(100 * drop)} % lower) with no sales or receipt`;
    },
  },
  gibberish_description: {
    eligible: () => true,
    apply(e, rng) {
      e.description = Array.from({ length: rng.int(2, 5) }, () => rng.pick(MUMBLES)(rng)).join(' ');
      return `description replaced by gibberish: "${e.description}"`;
    },
  },
  wrong_category_description: {
    eligible: () => true,
    apply(e, rng) {
      const other = rng.pick(CATEGORIES.filter((c) => c.name !== e.category));
      e.description = productType(other, rng).description;
      return `description of a ${other.name} product in ${e.category}: "${e.description}"`;
    },
  },
} satisfies Record<string, Recipe>;

/** The labelled kinds, named as ingest's generator names them so that one scorer reads both. */
export type AnomalyKind = keyof typeof RECIPES;
export const KINDS = Object.keys(RECIPES) as readonly AnomalyKind[];

// Three ways a till operator's text goes wrong, mixed word by word: a slide along a keyboard row (QWERTZ or
// QWERTY), a run of consonants with the shift key flickering, a syllable stuck on repeat.
const ROWS = ['qwertzuiop', 'qwertyuiop', 'asdfghjkl', 'yxcvbnm', 'zxcvbnm'];
const CONSONANTS = [...'bcdfghjklmnpqrstvwxz'];
const MUMBLES: ((rng: Random) => string)[] = [
  (rng) => {
    const row = rng.pick(ROWS);
    const length = rng.int(3, 7);
    const start = rng.int(0, row.length - length);
    return row.slice(start, start + length);
  },
  (rng) =>
    Array.from({ length: rng.int(4, 7) }, () => {
      const c = rng.pick(CONSONANTS);
      return rng.bernoulli(0.5) ? c.toUpperCase() : c;
    }).join(''),
  (rng) => (rng.pick(CONSONANTS) + rng.pick([...'aeiou'])).repeat(rng.int(2, 4)),
];

/** A random report that passes `ok`: rejection sampling (O(1) while most pass), else a pick among all that pass. */
function choose(reports: DayReport[], ok: (r: DayReport) => boolean, rng: Random): DayReport | undefined {
  if (reports.length === 0) return undefined;
  for (let tries = 0; tries < 64; tries++) {
    const r = rng.pick(reports);
    if (ok(r)) return r;
  }
  const passing = reports.filter(ok);
  return passing.length > 0 ? rng.pick(passing) : undefined;
}

/**
 * Turns `total` of the anomaly period's reports into labelled anomalies, spread evenly over its `days`, the
 * kinds in turn. The returned function takes day `a` (0-based) of the period, replaces some of its reports in
 * place and returns their labels. Only the report is replaced, never the simulation's state: the next day
 * reports the true stock again.
 */
export function createInjector(rng: Random, total: number, days: number) {
  const last = new Map<number, number>(); // series → anomaly-period day of its latest anomaly
  let placed = 0;
  let carry = 0; // quota a day could not place (nothing eligible for the kind in turn) moves to the next day
  return (reports: DayReport[], a: number): Label[] => {
    const quota = carry + Math.floor(((a + 1) * total) / days) - Math.floor((a * total) / days);
    const labels: Label[] = [];
    while (labels.length < quota) {
      const kind = KINDS[placed % KINDS.length]!;
      const recipe: Recipe = RECIPES[kind];
      const ok = (r: DayReport) => a - (last.get(r.series) ?? -GAP) >= GAP && recipe.eligible(r);
      const report = choose(reports, ok, rng);
      if (!report) break;
      const event = { ...report.event };
      labels.push({ event_id: event.event_id, kind, detail: recipe.apply(event, rng) });
      report.event = event;
      last.set(report.series, a);
      placed += 1;
    }
    carry = quota - labels.length;
    return labels;
  };
}
