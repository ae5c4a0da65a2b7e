/** The q-quantile (0–1) of sorted values, linearly interpolated. */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export interface Band {
  lower_80: number;
  upper_80: number;
  lower_95: number;
  upper_95: number;
}

/**
 * Empirical prediction intervals from backtest errors (actual − forecast): the forecast plus the 10th–90th
 * and 2.5th–97.5th percentiles of the errors the same model made on held-out days. Model-agnostic, and as
 * wide as the model has really been wrong. Never below zero, always around the point.
 */
export function intervalsFrom(errors: number[]) {
  const sorted = [...errors].filter(Number.isFinite).sort((a, b) => a - b);
  const q = [0.025, 0.1, 0.9, 0.975].map((p) => quantile(sorted, p));
  return (point: number): Band => ({
    lower_95: Math.max(0, Math.min(point, point + q[0]!)),
    lower_80: Math.max(0, Math.min(point, point + q[1]!)),
    upper_80: Math.max(0, point, point + q[2]!),
    upper_95: Math.max(0, point, point + q[3]!),
  });
}
