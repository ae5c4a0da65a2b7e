/**
 * Forecast accuracy, as the forecasting literature defines it (Hyndman & Koehler 2006 for MASE).
 * `actual` and `forecast` are aligned day by day.
 */

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Mean absolute error of the in-sample seasonal naive forecast (lag `m`): MASE's scale. */
export function naiveScale(train: number[], m = 7): number {
  const lag = train.length > m ? m : 1;
  const errors = train.slice(lag).map((v, i) => Math.abs(v - train[i]!));
  return mean(errors);
}

/** Mean absolute scaled error: < 1 beats the seasonal naive forecast in-sample. NaN if the scale is 0. */
export function mase(actual: number[], forecast: number[], scale: number): number {
  const mae = mean(actual.map((a, i) => Math.abs(a - forecast[i]!)));
  return scale > 0 ? mae / scale : mae === 0 ? 0 : NaN;
}

/** Weighted absolute percentage error: Σ|error| / Σ actual, in %. */
export function wape(actual: number[], forecast: number[]): number {
  const total = actual.reduce((a, b) => a + Math.abs(b), 0);
  const errors = actual.reduce((s, a, i) => s + Math.abs(a - forecast[i]!), 0);
  return total > 0 ? (100 * errors) / total : errors === 0 ? 0 : NaN;
}

/** Mean error (forecast − actual): positive over-forecasts. */
export function bias(actual: number[], forecast: number[]): number {
  return mean(actual.map((a, i) => forecast[i]! - a));
}

export function rmse(actual: number[], forecast: number[]): number {
  return Math.sqrt(mean(actual.map((a, i) => (a - forecast[i]!) ** 2)));
}

/** Symmetric MAPE in % (0 to 200), a day with both 0 counting as no error (the Kaggle convention). */
export function smape(actual: number[], forecast: number[]): number {
  return mean(
    actual.map((a, i) => {
      const f = forecast[i]!;
      const denominator = (Math.abs(a) + Math.abs(f)) / 2;
      return denominator === 0 ? 0 : (100 * Math.abs(f - a)) / denominator;
    }),
  );
}

/** Share of days whose actual lies within [lower, upper], in %. */
export function coverage(actual: number[], lower: number[], upper: number[]): number {
  return (100 * actual.filter((a, i) => a >= lower[i]! && a <= upper[i]!).length) / actual.length;
}

export interface Scores {
  mase: number;
  wape: number;
  bias: number;
  rmse: number;
  smape: number;
  coverage_80: number;
  coverage_95: number;
}
