import { windowsOf, type Trial } from './backtest.js';
import type { Booster } from '../models/booster.js';
import { dayNumber, type Series } from '../models/types.js';
import type { LevelSeries } from '../models/global/features.js';
import { forecastGlobal } from '../models/global/global.js';
import { forecastProfile, type Profile } from '../models/global/profile.js';

/** A level's models trained on the days before `cutoff` (a day number); null where there was too little. */
export interface LevelFit {
  cutoff: number;
  booster: Booster | null;
  profile: Profile | null;
}

/** A series as the level models read it. */
export const levelSeries = (series: Series, codes: readonly [number, number]): LevelSeries => ({
  values: Float32Array.from(series.values),
  ...(series.prices?.some((p) => p !== null)
    ? { prices: Float32Array.from(series.prices, (p) => (p === null ? NaN : p)) }
    : {}),
  start: series.dates.length ? dayNumber(series.dates[0]!) : 0,
  codes,
});

type Ask = { s: LevelSeries; o: number; put: (f: number[]) => void };

/** How each level model forecasts a batch of series from their origins. */
const FORECASTERS = {
  Global: {
    has: (fit: LevelFit) => fit.booster !== null,
    forecast: (fit: LevelFit, asks: Ask[], days: number) => forecastGlobal(fit.booster!, asks, days),
  },
  Profile: {
    has: (fit: LevelFit) => fit.profile !== null,
    forecast: (fit: LevelFit, asks: Ask[], days: number) =>
      asks.map(({ s, o }) => forecastProfile(fit.profile!, s, o, days)),
  },
};

/**
 * The level models' trials for each series (those of `names` the level has), on the series' own backtest
 * windows: each window forecast by the fit up to the latest cutoff on or before the window's first day (it
 * has seen none of the days it forecasts), the future by the latest fit the series' history reaches. The
 * forecasts of one fit and length are made in one call.
 */
export function levelTrials(
  fits: LevelFit[],
  items: { series: Series; codes: readonly [number, number] }[],
  windows: number,
  horizon: number,
  names: readonly string[],
): Trial[][] {
  const sorted = [...fits].sort((a, b) => a.cutoff - b.cutoff);
  const models = Object.entries(FORECASTERS).filter(([name]) => names.includes(name));
  const asks = new Map<string, { run: () => void }>();
  const perItem = items.map(({ series, codes }) => {
    const s = levelSeries(series, codes);
    const w = windowsOf(series, windows, horizon);
    return models.map(([name, model]): Trial => {
      const trial: Trial = { model: name, windows: [], final: [] };
      const before = (day: number) => sorted.filter((f) => f.cutoff <= day && model.has(f)).at(-1);
      const ask = (fit: LevelFit, o: number, days: number, put: (f: number[]) => void) => {
        const key = `${name}/${fit.cutoff}/${days}`;
        let entry = asks.get(key) as { run: () => void; list: Ask[] } | undefined;
        if (!entry) {
          const list: Ask[] = [];
          entry = { list, run: () => model.forecast(fit, list, days).forEach((f, i) => list[i]!.put(f)) };
          asks.set(key, entry);
        }
        entry.list.push({ s, o, put });
      };
      if (!series.values.length) return { ...trial, error: 'no history' };
      w.origins.forEach((o, k) => {
        const fit = before(s.start + o);
        if (fit) ask(fit, o, w.days, (f) => (trial.windows[k] = f));
      });
      const fit = before(s.start + series.values.length);
      if (fit) ask(fit, series.values.length, horizon, (f) => (trial.final = f));
      else trial.error = `no ${name} model: too little history across the level to train one`;
      return trial;
    });
  });
  for (const entry of asks.values()) entry.run();
  return perItem;
}
