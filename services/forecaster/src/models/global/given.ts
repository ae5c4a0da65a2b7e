import { windowsOf, type Trial } from '../../domain/backtest.js';
import { dayNumber, type Series } from '../types.js';
import type { Booster } from '../booster.js';
import type { LevelSeries } from './features.js';
import { forecastGlobal } from './global.js';

/** A global model trained on the days before `cutoff` (a day number). */
export interface LevelBooster {
  cutoff: number;
  booster: Booster;
}

/** A series as the global model reads it. */
export const levelSeries = (series: Series, codes: readonly [number, number]): LevelSeries => ({
  values: Float32Array.from(series.values),
  ...(series.prices?.some((p) => p !== null)
    ? { prices: Float32Array.from(series.prices, (p) => (p === null ? NaN : p)) }
    : {}),
  start: series.dates.length ? dayNumber(series.dates[0]!) : 0,
  codes,
});

/**
 * The global model's trial for each series, on the series' own backtest windows: each window forecast by the
 * model trained up to the latest cutoff on or before the window's first day (it has seen none of the days
 * it forecasts), the future by the latest model the series' history reaches. All forecasts of one model
 * and length are made in one call.
 */
export function globalTrials(
  boosters: LevelBooster[],
  items: { series: Series; codes: readonly [number, number] }[],
  windows: number,
  horizon: number,
): Trial[] {
  const sorted = [...boosters].sort((a, b) => a.cutoff - b.cutoff);
  const before = (day: number) => sorted.filter((b) => b.cutoff <= day).at(-1);
  const asks = new Map<
    string,
    { b: LevelBooster; days: number; list: { s: LevelSeries; o: number; put: (f: number[]) => void }[] }
  >();
  const ask = (b: LevelBooster, s: LevelSeries, o: number, days: number, put: (f: number[]) => void) => {
    const key = `${b.cutoff}/${days}`;
    const entry = asks.get(key) ?? asks.set(key, { b, days, list: [] }).get(key)!;
    entry.list.push({ s, o, put });
  };
  const trials = items.map(({ series, codes }): Trial => {
    const trial: Trial = { model: 'Global', windows: [], final: [] };
    if (!series.values.length) return { ...trial, error: 'no history' };
    const s = levelSeries(series, codes);
    const w = windowsOf(series, windows, horizon);
    w.origins.forEach((o, k) => {
      const b = before(s.start + o);
      if (b) ask(b, s, o, w.days, (f) => (trial.windows[k] = f));
    });
    const b = before(s.start + series.values.length);
    if (b) ask(b, s, series.values.length, horizon, (f) => (trial.final = f));
    else trial.error = 'no global model: too little history across the level to train one';
    return trial;
  });
  for (const { b, days, list } of asks.values()) {
    const forecasts = forecastGlobal(b.booster, list, days);
    list.forEach((a, i) => a.put(forecasts[i]!));
  }
  return trials;
}
