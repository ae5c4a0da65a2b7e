import type { Model, Series } from '../models/types.js';
import { seasonalNaive } from '../models/simple.js';
import { intervalsFrom, type Band } from './intervals.js';
import { bias, coverage, mase, naiveScale, rmse, smape, wape, type Scores } from './metrics.js';

export interface PipelineOptions {
  horizon: number;
  /** Rolling-origin backtest windows. */
  windows: number;
  models: readonly Model[];
}

export interface ModelResult {
  model: string;
  /** Forecast for the days after the series, never negative. */
  points: ({ value: number } & Band)[];
  backtest: (Scores & { windows: number; window_days: number }) | null;
  /** Why the model is out of the race for this series. */
  error?: string;
}

export interface SeriesForecast {
  chosen: string;
  reason: string;
  results: ModelResult[];
  /** RMSE of the chosen model's one-day backtest errors: the σ of safety stock. */
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

interface Trial {
  model: string;
  /** Forecast of each backtest window. */
  windows: number[][];
  final: number[];
  error?: string;
}

/**
 * The automatic pipeline for one series: a rolling-origin backtest of every model (each fitted only on the
 * days before each origin: no leakage), an ensemble (the median of the three best), scores per model, and
 * the model with the lowest MASE chosen. Intervals come from each model's own backtest errors. A model that
 * fails is dropped for the series; SeasonalNaive never fails, so there is always a forecast.
 */
export function forecastSeries(series: Series, options: PipelineOptions): SeriesForecast {
  const n = series.values.length;
  const h = options.horizon;
  const models = [seasonalNaive, ...options.models.filter((m) => m.name !== seasonalNaive.name)];
  // windows as long as the horizon, shorter when the history is short; at least 14 days to learn from
  const windowDays = Math.min(h, Math.floor((n - 14) / options.windows));
  const origins =
    windowDays >= 1
      ? Array.from({ length: options.windows }, (_, k) => n - (options.windows - k) * windowDays)
      : [];
  const actuals = origins.map((o) => series.values.slice(o, o + windowDays));

  const trials: Trial[] = models.map((model) => {
    try {
      if (n < model.minLength) throw new Error(`needs ${model.minLength} days of history, has ${n}`);
      const windows = origins.map((o) => {
        if (o < model.minLength) throw new Error(`needs ${model.minLength} days before each backtest origin`);
        return clip(model.fit(slice(series, o)).predict(windowDays));
      });
      return { model: model.name, windows, final: clip(model.fit(series).predict(h)) };
    } catch (err) {
      return { model: model.name, windows: [], final: [], error: (err as Error).message };
    }
  });

  const scored = trials.map((t) => ({
    trial: t,
    scores: t.error ? null : score(t, origins, actuals, series),
  }));
  const ranked = scored
    .filter((s) => s.scores && Number.isFinite(s.scores.mase))
    .sort((a, b) => a.scores!.mase - b.scores!.mase);
  const members = ranked.filter((s) => s.trial.model !== seasonalNaive.name).slice(0, 3);
  if (members.length >= 2) {
    const ensemble: Trial = {
      model: ENSEMBLE,
      windows: origins.map((_, k) =>
        members[0]!.trial.windows[k]!.map((_, i) => median(members.map((m) => m.trial.windows[k]![i]!))),
      ),
      final: members[0]!.trial.final.map((_, i) => median(members.map((m) => m.trial.final[i]!))),
    };
    const scores = score(ensemble, origins, actuals, series);
    scored.push({ trial: ensemble, scores });
    if (Number.isFinite(scores.mase)) ranked.push({ trial: ensemble, scores });
    ranked.sort((a, b) => a.scores!.mase - b.scores!.mase);
  }

  // without a backtest, the spread of the series itself around its mean stands in for the errors
  const mean = n ? series.values.reduce((a, b) => a + b, 0) / n : 0;
  const fallbackErrors = series.values.map((v) => v - mean);
  const results: ModelResult[] = scored.map(({ trial, scores }) => {
    const band = intervalsFrom(origins.length ? errorsOf(trial, actuals) : fallbackErrors);
    return {
      model: trial.model,
      points: trial.final.map((value) => ({ value, ...band(value) })),
      backtest: scores ? { ...scores, windows: origins.length, window_days: windowDays } : null,
      ...(trial.error ? { error: trial.error } : {}),
    };
  });
  const best = ranked[0];
  const chosen = best?.trial.model ?? seasonalNaive.name;
  return {
    chosen,
    reason: best
      ? explain(best.trial.model, ranked, origins.length, windowDays)
      : 'too little history to backtest: the seasonal naive forecast',
    results,
    sigma: best ? oneDayRmse(best.trial, actuals) : 0,
  };
}

function errorsOf(trial: Trial, actuals: number[][]): number[] {
  return trial.windows.flatMap((w, k) => w.map((f, i) => actuals[k]![i]! - f));
}

/** Scores over all windows; coverage of each window with intervals made from the other windows' errors. */
function score(trial: Trial, origins: number[], actuals: number[][], series: Series): Scores {
  const forecast = trial.windows.flat();
  const actual = actuals.flat();
  const masePerWindow = origins.map((o, k) =>
    mase(actuals[k]!, trial.windows[k]!, naiveScale(series.values.slice(0, o))),
  );
  const inside = { 80: 0, 95: 0 };
  actuals.forEach((a, k) => {
    const others = errorsOf(
      { ...trial, windows: trial.windows.filter((_, j) => j !== k) },
      actuals.filter((_, j) => j !== k),
    );
    const band = intervalsFrom(others);
    const bands = trial.windows[k]!.map(band);
    inside[80] +=
      (coverage(
        a,
        bands.map((b) => b.lower_80),
        bands.map((b) => b.upper_80),
      ) *
        a.length) /
      100;
    inside[95] +=
      (coverage(
        a,
        bands.map((b) => b.lower_95),
        bands.map((b) => b.upper_95),
      ) *
        a.length) /
      100;
  });
  return {
    mase: masePerWindow.reduce((s, v) => s + v, 0) / masePerWindow.length,
    wape: wape(actual, forecast),
    bias: bias(actual, forecast),
    rmse: rmse(actual, forecast),
    smape: smape(actual, forecast),
    coverage_80: (100 * inside[80]) / actual.length,
    coverage_95: (100 * inside[95]) / actual.length,
  };
}

function oneDayRmse(trial: Trial, actuals: number[][]): number {
  return rmse(actuals.flat(), trial.windows.flat());
}

function explain(
  name: string,
  ranked: { trial: Trial; scores: Scores | null }[],
  windows: number,
  days: number,
): string {
  const others = ranked
    .filter((r) => r.trial.model !== name)
    .map((r) => `${r.trial.model} ${r.scores!.mase.toFixed(2)}`)
    .join(', ');
  const mine = ranked.find((r) => r.trial.model === name)!.scores!.mase.toFixed(2);
  return `${name}: lowest backtest MASE, ${mine}, over ${windows} windows of ${days} days${others ? ` (then ${others})` : ''}`;
}
