import { seasonalNaive } from '../models/simple.js';
import type { Series } from '../models/types.js';
import { errorsOf, score, type Trial, type Windows } from './backtest.js';
import { intervalsFrom, type Band } from './intervals.js';
import type { Scores } from './metrics.js';
import type { PatternOf } from './pattern.js';

export interface ModelResult {
  model: string;
  /** Forecast for the days after the series, never negative; empty for a model out of the race. */
  points: ({ value: number } & Band)[];
  backtest: (Scores & { windows: number; window_days: number }) | null;
  /** Why the model failed for this series. */
  error?: string;
}

export interface SeriesForecast {
  chosen: string;
  reason: string;
  results: ModelResult[];
  /** RMSE of the chosen model's daily backtest errors: the σ of safety stock. */
  sigma: number;
  pattern: PatternOf;
  /** Costly per-series models fitted (not screened out). */
  costly: number;
}

/**
 * The choice among the trials of a series: only a model scored on every window can win, by lowest mean
 * MASE; where MASE is undefined (a constant, a pure weekly pattern: the naive forecast is exact) RMSE decides.
 */
export function choose(
  series: Series,
  w: Windows,
  trials: Trial[],
  pattern: PatternOf,
  costly: number,
): SeriesForecast {
  const last = w.origins.length - 1;
  const scored = trials.map((trial) => ({
    trial,
    scores: trial.error || last < 0 ? null : score(trial, w, series),
  }));
  const ranked = scored
    .filter((s) => s.scores && s.scores.windows === w.origins.length && s.trial.final.length)
    .sort((a, b) => nanLast(a.scores!.mase, b.scores!.mase) || a.scores!.rmse - b.scores!.rmse);
  // without a backtest, the spread of the series around its mean stands in for the errors
  const n = series.values.length;
  const level = n ? series.values.reduce((a, b) => a + b, 0) / n : 0;
  const results = scored.map(({ trial, scores }): ModelResult => {
    const band = intervalsFrom(last >= 0 ? errorsOf(trial, w) : series.values.map((v) => v - level));
    return {
      model: trial.model,
      points: trial.final.map((value) => ({ value, ...band(value) })),
      backtest: scores ? { ...scores, window_days: w.days } : null,
      ...(trial.error ? { error: trial.error } : {}),
    };
  });
  const best = ranked[0];
  const route = `${pattern.pattern} demand (ADI ${pattern.adi.toFixed(2)}, CV² ${pattern.cv2.toFixed(2)})`;
  return {
    chosen: best?.trial.model ?? seasonalNaive.name,
    reason: best
      ? `${explain(best.trial.model, ranked, scored.length - ranked.length, w)}; ${route}`
      : 'too little history to backtest: the seasonal naive forecast',
    results,
    sigma: best ? dailyRmse(errorsOf(best.trial, w)) : 0,
    pattern,
    costly,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const dailyRmse = (errors: number[]) =>
  errors.length ? Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length) : 0;
export const nanLast = (a: number, b: number) =>
  Number.isNaN(a) && Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b;

export function ensembleOf(members: Trial[], w: Windows): Trial {
  const combine = (forecasts: number[][]) => forecasts[0]!.map((_, i) => median(forecasts.map((f) => f[i]!)));
  return {
    model: 'Ensemble',
    windows: w.origins.map((_, k) => combine(members.map((m) => m.windows[k]!))),
    final: combine(members.map((m) => m.final)),
  };
}

function explain(
  name: string,
  ranked: { trial: Trial; scores: Scores | null }[],
  outOfRace: number,
  w: Windows,
): string {
  const others = ranked
    .filter((r) => r.trial.model !== name)
    .map((r) => `${r.trial.model} ${r.scores!.mase.toFixed(2)}`)
    .join(', ');
  const mine = ranked.find((r) => r.trial.model === name)!.scores!.mase.toFixed(2);
  const rest = outOfRace ? `; ${outOfRace} more out after the latest window or failed` : '';
  return `${name}: lowest backtest MASE, ${mine}, over ${w.origins.length} windows of ${w.days} days${others ? ` (then ${others}${rest})` : rest}`;
}
