import type { Finding } from './findings.js';

export const VERDICTS = ['confirmed', 'false_positive'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The current verdicts on the anomalies of one detector, type, store and product, with their scores. */
export interface Judged {
  verdict: Verdict;
  score: number;
}

/**
 * The score from which a finding of that detector, type, store and product is an anomaly again, learned from
 * users' verdicts: `margin` times the highest score rejected as a false positive, so that the kind of false
 * alarm a user rejected stops recurring while a clearly larger one still alarms; never above the lowest score
 * a user confirmed (what a user said was real keeps being found). Undefined: no false positive, no threshold.
 */
export function thresholdFrom(judged: readonly Judged[], margin: number): number | undefined {
  const rejected = judged.filter((j) => j.verdict === 'false_positive').map((j) => j.score);
  if (!rejected.length) return undefined;
  const confirmed = judged.filter((j) => j.verdict === 'confirmed').map((j) => j.score);
  return Math.min(Math.max(...rejected) * margin, ...confirmed);
}

/** A finding under a threshold raised by verdicts is a note, saying why; anything else is left as it is. */
export function underThreshold(f: Finding, minScore: number | undefined): Finding {
  if (f.severity === 'info' || minScore === undefined || f.score >= minScore) return f;
  return {
    ...f,
    severity: 'info',
    explanation: `${f.explanation} (A note, not an anomaly: a user marked a similar ${f.type.replace(/_/g, ' ')} here a false positive, and this one scores ${f.score.toFixed(2)}, under ${minScore.toFixed(2)}.)`,
  };
}
