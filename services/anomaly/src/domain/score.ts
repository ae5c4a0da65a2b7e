import type { Detector } from './findings.js';

export const NUMERIC_KINDS = ['price_spike', 'quantity_spike', 'negative_stock', 'stock_drop_without_sales'];
export const TEXT_KINDS = ['gibberish_description', 'wrong_category_description'];

/** The labelled kinds each detector is meant to find. */
const TARGETS: Record<Detector, string[]> = {
  rules: NUMERIC_KINDS,
  isolation_forest: NUMERIC_KINDS,
  forecast_residual: NUMERIC_KINDS,
  text: TEXT_KINDS,
};

export interface Label {
  event_id: string;
  kind: string;
}
export interface Detection {
  event_id: string;
  detector: Detector;
}

export interface Rates {
  detected: number;
  true_positives: number;
  labelled: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

function rates(flagged: ReadonlySet<string>, labelled: ReadonlySet<string>): Rates {
  const tp = [...flagged].filter((id) => labelled.has(id)).length;
  const precision = flagged.size ? tp / flagged.size : null;
  const recall = labelled.size ? tp / labelled.size : null;
  const f1 =
    precision !== null && recall !== null && precision + recall > 0
      ? (2 * precision * recall) / (precision + recall)
      : precision === null && recall === null
        ? null
        : 0;
  return { detected: flagged.size, true_positives: tp, labelled: labelled.size, precision, recall, f1 };
}

/**
 * Detections against the generator's labels, for the events of one scope (`events` of them in all). A
 * detection is an anomaly on an event, what a user sees; notes are reported per detector ("including notes")
 * but not counted. Precision per detector is over everything it flagged, recall over the kinds it is meant for.
 */
export function scoreDetections(
  labels: readonly Label[],
  detections: readonly Detection[],
  events: number,
  notes: readonly Detection[] = [],
) {
  const counted = detections;
  const eventsOf = (kinds: string[]) =>
    new Set(labels.filter((l) => kinds.includes(l.kind)).map((l) => l.event_id));
  const flaggedBy = (detectors: Detector[], among: readonly Detection[] = counted) =>
    new Set(among.filter((d) => detectors.includes(d.detector)).map((d) => d.event_id));
  const labelled = new Set(labels.map((l) => l.event_id));
  const flagged = new Set(counted.map((d) => d.event_id));
  const falsePositives = [...flagged].filter((id) => !labelled.has(id)).length;
  const clean = Math.max(0, events - labelled.size);
  return {
    events,
    labelled: labelled.size,
    detectors: Object.fromEntries(
      (Object.keys(TARGETS) as Detector[]).map((d) => [
        d,
        {
          ...rates(flaggedBy([d]), eventsOf(TARGETS[d])),
          including_notes: rates(flaggedBy([d], [...detections, ...notes]), eventsOf(TARGETS[d])),
        },
      ]),
    ),
    kinds: Object.fromEntries(
      [...NUMERIC_KINDS, ...TEXT_KINDS].map((kind) => {
        const ids = eventsOf([kind]);
        const found = [...ids].filter((id) => flagged.has(id)).length;
        return [kind, { labelled: ids.size, detected: found, recall: ids.size ? found / ids.size : null }];
      }),
    ),
    overall: {
      numeric: rates(flaggedBy(['rules', 'isolation_forest', 'forecast_residual']), eventsOf(NUMERIC_KINDS)),
      text: rates(flaggedBy(['text']), eventsOf(TEXT_KINDS)),
      all: rates(flagged, labelled),
    },
    false_positives: falsePositives,
    false_positive_rate: clean ? falsePositives / clean : null,
  };
}

/** Area under the ROC curve of `scores` for telling positives from negatives (Mann–Whitney, ties halved). */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number | null {
  if (!positives.length || !negatives.length) return null;
  const all = [...positives.map((s) => ({ s, p: 1 })), ...negatives.map((s) => ({ s, p: 0 }))].sort(
    (a, b) => a.s - b.s,
  );
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const rank = (i + 1 + j) / 2; // mean rank of the tie group (1-based)
    for (let k = i; k < j; k++) if (all[k]!.p) rankSum += rank;
    i = j;
  }
  const n = positives.length;
  return (rankSum - (n * (n + 1)) / 2) / (n * negatives.length);
}
