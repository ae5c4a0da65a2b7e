import { fnv1a } from '@stockpulse/contracts';
import { INTERMITTENT_MODELS, INTERMITTENT_ONLY } from '../models/names.js';
import { seasonalNaive } from '../models/simple.js';
import type { Model, Series } from '../models/types.js';
import { score, windowsOf, type Trial, type Windows } from './backtest.js';
import { choose, ensembleOf, nanLast, type SeriesForecast } from './choice.js';
import { demandPattern, sparse } from './pattern.js';

export interface PipelineOptions {
  horizon: number;
  /** Rolling-origin backtest windows. */
  windows: number;
  models: readonly Model[];
  /** Costly models that go on past the most recent window; default FINALISTS. */
  finalists?: number;
  /**
   * Forecasts made across the level (the level models), for this series' windows (`windowsOf`) and future:
   * they race like the cheap models.
   */
  given?: readonly Trial[];
  /** Costly models only where the screen lets them in (default); false fits them on every series. */
  screen?: boolean;
}

export type { ModelResult, SeriesForecast } from './choice.js';

/**
 * The screen: where the best cheap or level-wide model beats SeasonalNaive on the latest window by this
 * much (MASE ratio), the costly per-series fits are skipped (BENCHMARKS.md, "Forecasting at retail scale").
 */
export const SCREEN_RATIO = 0.9;

/**
 * Share of the series the screen lets in that get the costly fits, by default (one in 50): what keeps
 * 10,000 series near 400 s on two cores shared with the pipeline (the costly race of a series costs about
 * 0.6 s of CPU, the rest of its race about 10 ms).
 */
export const COSTLY_SHARE = 0.02;

/** Costly models that go on past the latest window, by default; their median is the Ensemble. */
export const FINALISTS = 2;

const clip = (values: number[]) => values.map((v) => (Number.isFinite(v) ? Math.max(0, v) : 0));
const slice = (s: Series, end: number): Series => ({
  dates: s.dates.slice(0, end),
  values: s.values.slice(0, end),
});

/**
 * The automatic choice for one series. Its demand pattern routes it: an intermittent or lumpy series races
 * the Croston class (TSB, Croston-SBA, ADIDA) and the baselines; the others the cheap models, the given
 * level-wide forecasts and, where the screen lets them in, the costly per-series fits by successive halving
 * (all fitted on the latest backtest window, the best `finalists` on every window and the whole series, with
 * their median as the Ensemble). Every model is scored on rolling-origin windows (each fit sees only the days
 * before its origin); only a model scored on every window can win, by lowest mean MASE, so the winner never
 * did worse than SeasonalNaive on its own backtests. Intervals come from each model's backtest errors.
 */
export function forecastSeries(series: Series, options: PipelineOptions): SeriesForecast {
  return forecastChunk([{ series, given: options.given ?? [] }], options, 1)[0]!;
}

/**
 * A chunk of series through the race, the costly fits spent where they may pay: on the series the screen lets
 * in (the cheap and level-wide models not clearly better than SeasonalNaive on the latest window), a stable
 * sample of `share` of them by their key. Each series' lot is its own — not a rank among the chunk's — so a
 * series is forecast the same whichever series share its chunk (its replica's, with PARTITIONS > 1).
 */
export function forecastChunk(
  items: { series: Series; given: readonly Trial[]; key?: string }[],
  options: Omit<PipelineOptions, 'given'>,
  share: number,
): SeriesForecast[] {
  const races = items.map(({ series, given, key }, i) => ({
    ...openRace(series, given, options),
    drawn: fnv1a(key ?? String(i)) / 2 ** 32 < share,
  }));
  races
    .filter(
      (r) =>
        r.w.origins.length &&
        r.costly.length &&
        (options.screen === false || (r.ratio > SCREEN_RATIO && r.drawn)),
    )
    .forEach((r) => runCostly(r, options.finalists ?? FINALISTS));
  return races.map((r) => choose(r.series, r.w, r.trials, r.pattern, r.fitted));
}

const trialOf = (model: Model): Trial => ({ model: model.name, windows: [], final: [] });

/** A series' race after its cheap models and the given ones: what the screen and the costly fits need. */
function openRace(series: Series, given: readonly Trial[], options: Omit<PipelineOptions, 'given'>) {
  const w = windowsOf(series, options.windows, options.horizon);
  const pattern = demandPattern(series.values);
  const candidates = [seasonalNaive, ...options.models.filter((m) => m.name !== seasonalNaive.name)].filter(
    (m) =>
      sparse(pattern.pattern) ? INTERMITTENT_MODELS.includes(m.name) : !INTERMITTENT_ONLY.includes(m.name),
  );
  const run = (model: Model, trial: Trial, ks: number[], final: boolean) => {
    try {
      if (series.values.length < model.minLength)
        throw new Error(`needs ${model.minLength} days of history, has ${series.values.length}`);
      for (const k of ks) {
        if (w.origins[k]! < model.minLength)
          throw new Error(`needs ${model.minLength} days before each backtest origin`);
        trial.windows[k] = clip(model.fit(slice(series, w.origins[k]!)).predict(w.days));
      }
      if (final) trial.final = clip(model.fit(series).predict(options.horizon));
    } catch (err) {
      trial.error = (err as Error).message;
    }
  };
  const all = w.origins.map((_, k) => k);
  const cheap = candidates.filter((m) => m.cheap).map((m) => ({ m, t: trialOf(m) }));
  cheap.forEach(({ m, t }) => run(m, t, all, true));
  const trials = [...cheap.map((c) => c.t), ...given];
  const ratio = all.length ? screenRatio(trials, w, series) : Infinity;
  return { series, w, pattern, trials, run, ratio, costly: candidates.filter((m) => !m.cheap), fitted: 0 };
}

/** Successive halving among the costly models: all on the latest window, the best on every window. */
function runCostly(race: ReturnType<typeof openRace>, finalists: number): void {
  const { w, series, run, trials } = race;
  const last = w.origins.length - 1;
  const entries = race.costly.map((m) => ({ m, t: trialOf(m) }));
  entries.forEach(({ m, t }) => run(m, t, [last], false));
  const ahead = entries
    .filter(({ t }) => !t.error)
    .sort((a, b) => nanLast(score(a.t, w, series).mase, score(b.t, w, series).mase))
    .slice(0, finalists);
  ahead.forEach(({ m, t }) => run(m, t, w.origins.map((_, k) => k).slice(0, last), true));
  const members = ahead.map(({ t }) => t).filter((t) => !t.error);
  trials.push(...entries.map(({ t }) => t));
  if (members.length >= 2) trials.push(ensembleOf(members, w));
  race.fitted = race.costly.length;
}

/**
 * The screen: the best cheap or given model's MASE on the latest window over SeasonalNaive's (Infinity
 * where it cannot be told: the costly models then may run).
 */
function screenRatio(trials: Trial[], w: Windows, series: Series): number {
  const k = w.origins.length - 1;
  const latest = (t: Trial): Trial => ({ ...t, windows: t.windows.map((f, i) => (i === k ? f : undefined)) });
  const mase = (t: Trial) => score(latest(t), w, series).mase;
  const baseline = mase(trials.find((t) => t.model === seasonalNaive.name)!);
  const best = Math.min(
    ...trials.filter((t) => t.model !== seasonalNaive.name && !t.error && t.windows[k]).map(mase),
  );
  const ratio = best / baseline;
  return Number.isFinite(ratio) ? ratio : Infinity;
}
