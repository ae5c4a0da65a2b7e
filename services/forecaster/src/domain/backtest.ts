import type { Series } from '../models/types.js';
import { intervalsFrom } from './intervals.js';
import { bias, coverage, mase, naiveScale, rmse, smape, wape, type Scores } from './metrics.js';

/** A model's run through the backtest: its forecast of each window it was fitted for, and of the future. */
export interface Trial {
  model: string;
  /** Forecast per backtest window, by window index; absent where the model was not fitted. */
  windows: (number[] | undefined)[];
  final: number[];
  error?: string;
}

/** The rolling-origin windows of a series: where each starts, and the actual demand in it. */
export interface Windows {
  origins: number[];
  days: number;
  actuals: number[][];
}

export function windowsOf(series: Series, count: number, horizon: number): Windows {
  const n = series.values.length;
  // windows as long as the horizon, shorter when the history is short; at least 14 days to learn from
  const days = Math.min(horizon, Math.floor((n - 14) / count));
  const origins = days >= 1 ? Array.from({ length: count }, (_, k) => n - (count - k) * days) : [];
  return { origins, days, actuals: origins.map((o) => series.values.slice(o, o + days)) };
}

const fitted = (trial: Trial, w: Windows) =>
  w.origins.map((_, k) => k).filter((k) => trial.windows[k] !== undefined);

/** Backtest errors (actual − forecast) of the windows the trial ran, optionally leaving one out. */
export function errorsOf(trial: Trial, w: Windows, leaveOut = -1): number[] {
  return fitted(trial, w)
    .filter((k) => k !== leaveOut)
    .flatMap((k) => trial.windows[k]!.map((f, i) => w.actuals[k]![i]! - f));
}

/**
 * Scores over the windows the trial ran: MASE per window against the in-sample naive scale before its
 * origin, averaged; interval coverage of each window with intervals from the other windows' errors.
 */
export function score(trial: Trial, w: Windows, series: Series): Scores & { windows: number } {
  const ks = fitted(trial, w);
  const actual = ks.flatMap((k) => w.actuals[k]!);
  const forecast = ks.flatMap((k) => trial.windows[k]!);
  const masePerWindow = ks.map((k) =>
    mase(w.actuals[k]!, trial.windows[k]!, naiveScale(series.values.slice(0, w.origins[k]))),
  );
  const inside = { 80: 0, 95: 0 };
  for (const k of ks.length > 1 ? ks : []) {
    const band = intervalsFrom(errorsOf(trial, w, k));
    const bands = trial.windows[k]!.map(band);
    const share = (level: 80 | 95) =>
      coverage(
        w.actuals[k]!,
        bands.map((b) => b[`lower_${level}`]),
        bands.map((b) => b[`upper_${level}`]),
      ) / 100;
    inside[80] += share(80) * w.days;
    inside[95] += share(95) * w.days;
  }
  return {
    mase: masePerWindow.reduce((s, v) => s + v, 0) / masePerWindow.length,
    wape: wape(actual, forecast),
    bias: bias(actual, forecast),
    rmse: rmse(actual, forecast),
    smape: smape(actual, forecast),
    coverage_80: ks.length > 1 ? (100 * inside[80]) / actual.length : NaN,
    coverage_95: ks.length > 1 ? (100 * inside[95]) / actual.length : NaN,
    windows: ks.length,
  };
}
