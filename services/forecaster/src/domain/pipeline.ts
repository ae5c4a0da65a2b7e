import { seasonalNaive } from '../models/simple.js';
import type { Model, Series } from '../models/types.js';
import { errorsOf, score, windowsOf, type Trial, type Windows } from './backtest.js';
import { intervalsFrom, type Band } from './intervals.js';
import type { Scores } from './metrics.js';

export interface PipelineOptions {
  horizon: number;
  /** Rolling-origin backtest windows. */
  windows: number;
  models: readonly Model[];
  /** Models that go on past the most recent window, besides the cheap ones; default 3. */
  finalists?: number;
}

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
}

const ENSEMBLE = 'Ensemble';
const clip = (values: number[]) => values.map((v) => (Number.isFinite(v) ? Math.max(0, v) : 0));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const slice = (s: Series, end: number): Series => ({
  dates: s.dates.slice(0, end),
  values: s.values.slice(0, end),
});

/**
 * The automatic pipeline for one series, a race by successive halving: every model is fitted on the days
 * before the most recent backtest window and scored on it; the best `finalists` by MASE, and the cheap
 * models (SeasonalNaive, Mean, TSB: they cost nothing), go on through the earlier windows (rolling origin, each fit sees only days before its origin) and are
 * fitted on the whole series. Their ensemble (the median) joins them and the lowest mean MASE wins.
 * Intervals come from each model's own backtest errors. A model that fails is dropped for the series;
 * SeasonalNaive never fails, so there is always a forecast.
 */
export function forecastSeries(series: Series, options: PipelineOptions): SeriesForecast {
  const w = windowsOf(series, options.windows, options.horizon);
  const last = w.origins.length - 1;
  const models = [seasonalNaive, ...options.models.filter((m) => m.name !== seasonalNaive.name)];
  const attempt = (trial: Trial, model: Model, step: () => void) => {
    if (trial.error) return;
    try {
      if (series.values.length < model.minLength)
        throw new Error(`needs ${model.minLength} days of history, has ${series.values.length}`);
      step();
    } catch (err) {
      trial.error = (err as Error).message;
    }
  };
  const fitWindow = (trial: Trial, model: Model, k: number) =>
    attempt(trial, model, () => {
      if (w.origins[k]! < model.minLength)
        throw new Error(`needs ${model.minLength} days before each backtest origin`);
      trial.windows[k] = clip(model.fit(slice(series, w.origins[k]!)).predict(w.days));
    });

  const trials = models.map((model): Trial => ({ model: model.name, windows: [], final: [] }));
  models.forEach((model, i) =>
    last >= 0
      ? fitWindow(trials[i]!, model, last)
      : model.cheap ||
        attempt(trials[i]!, model, () => {
          throw new Error(`too little history to backtest (${series.values.length} days)`);
        }),
  );
  const finalists = new Set([
    ...models.filter((m) => m.cheap).map((m) => m.name),
    ...(last < 0
      ? []
      : trials
          .filter((t, i) => !t.error && !models[i]!.cheap)
          .map((t) => ({ t, mase: score(t, w, series).mase }))
          .sort((a, b) => nanLast(a.mase, b.mase))
          .slice(0, options.finalists ?? 3)
          .map(({ t }) => t.model)),
  ]);
  models.forEach((model, i) => {
    const trial = trials[i]!;
    if (!finalists.has(model.name)) return;
    for (let k = 0; k < last; k++) fitWindow(trial, model, k);
    attempt(trial, model, () => (trial.final = clip(model.fit(series).predict(options.horizon))));
  });

  const members = trials.filter((t, i) => finalists.has(t.model) && !models[i]!.cheap && !t.error);
  if (members.length >= 2) trials.push(ensembleOf(members, w));
  const scored = trials.map((trial) => ({
    trial,
    scores: trial.error || last < 0 ? null : score(trial, w, series),
  }));
  // MASE is undefined where the in-sample naive forecast is exact (a constant, a pure weekly pattern): RMSE decides
  const ranked = scored
    .filter((s) => s.scores && s.trial.final.length)
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
  return {
    chosen: best?.trial.model ?? seasonalNaive.name,
    reason: best
      ? explain(best.trial.model, ranked, scored.length - ranked.length, w)
      : 'too little history to backtest: the seasonal naive forecast',
    results,
    sigma: best ? dailyRmse(errorsOf(best.trial, w)) : 0,
  };
}

const dailyRmse = (errors: number[]) =>
  errors.length ? Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length) : 0;
const nanLast = (a: number, b: number) =>
  Number.isNaN(a) && Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b;

function ensembleOf(members: Trial[], w: Windows): Trial {
  const combine = (forecasts: number[][]) => forecasts[0]!.map((_, i) => median(forecasts.map((f) => f[i]!)));
  return {
    model: ENSEMBLE,
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
