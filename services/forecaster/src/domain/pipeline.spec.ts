import { describe, expect, it } from '@jest/globals';
import { MODELS } from '../models/registry.js';
import type { Model, Series } from '../models/types.js';
import type { Trial } from './backtest.js';
import { fnv1a } from '@stockpulse/contracts';
import { forecastChunk, forecastSeries } from './pipeline.js';

const days = (n: number) =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
const series = (values: number[]): Series => ({ dates: days(values.length), values });
// a weekly pattern with fixed noise: every model can learn something, none is exact
const WEEK = [10, 12, 14, 16, 18, 30, 40];
const demand = series(Array.from({ length: 200 }, (_, i) => WEEK[i % 7]! + ((i * 7919) % 5) - 2));

/** A model forecasting a constant, recording how long each series it was fitted on was. */
function constant(name: string, level: number, fits: number[] = []): Model {
  return {
    name,
    minLength: 1,
    fit: ({ values }) => (fits.push(values.length), { predict: (h) => Array<number>(h).fill(level) }),
  };
}

describe('the automatic pipeline', () => {
  it('fits each backtest window only on the days before it, then the whole series', () => {
    const fits: number[] = [];
    forecastSeries(demand, { horizon: 14, windows: 3, models: [constant('Spy', 18, fits)] });
    // the latest window first (the race), then the earlier ones, then all 200 days
    expect(fits).toEqual([200 - 14, 200 - 42, 200 - 28, 200]);
  });

  it('races: the best three (finalists: 3) after the latest window go on, the rest stop there', () => {
    const models = [15, 17, 19, 21, 40].map((level, i) => constant(`C${i}`, level));
    const result = forecastSeries(demand, { horizon: 14, windows: 3, models, finalists: 3 });
    const windows = Object.fromEntries(result.results.map((r) => [r.model, r.backtest?.windows]));
    expect(windows).toMatchObject({ C0: 3, C1: 3, C2: 3, C3: 1, C4: 1, SeasonalNaive: 3, Ensemble: 3 });
    const c4 = result.results.find((r) => r.model === 'C4')!;
    expect(c4.points).toEqual([]);
    // the ensemble is the median of the three finalists, day by day
    expect(result.results.find((r) => r.model === 'Ensemble')!.points.map((p) => p.value)).toEqual(
      Array(14).fill(17),
    );
  });

  it('chooses the lowest backtest MASE, explains it, and gives ordered, non-negative intervals', () => {
    const result = forecastSeries(demand, {
      horizon: 14,
      windows: 3,
      models: ['Mean', 'ETS', 'XGBoost', 'TSB'].map((m) => MODELS[m]!),
    });
    const finished = result.results.filter((r) => r.points.length && r.backtest);
    const best = Math.min(...finished.map((r) => r.backtest!.mase));
    expect(result.results.find((r) => r.model === result.chosen)!.backtest!.mase).toBe(best);
    expect(result.reason).toMatch(new RegExp(`^${result.chosen}: lowest backtest MASE, ${best.toFixed(2)}`));
    expect(result.sigma).toBeGreaterThan(0);
    for (const r of finished) {
      expect(r.points).toHaveLength(14);
      for (const p of r.points) {
        expect(p.lower_95).toBeGreaterThanOrEqual(0);
        expect(p.lower_95).toBeLessThanOrEqual(p.lower_80);
        expect(p.lower_80).toBeLessThanOrEqual(p.value);
        expect(p.value).toBeLessThanOrEqual(p.upper_80);
        expect(p.upper_80).toBeLessThanOrEqual(p.upper_95);
      }
      expect(r.backtest!.coverage_80).toBeGreaterThanOrEqual(0);
      expect(r.backtest!.coverage_80).toBeLessThanOrEqual(r.backtest!.coverage_95);
    }
  });

  it('drops a model that throws, with its error, and still forecasts', () => {
    const broken: Model = {
      name: 'Broken',
      minLength: 1,
      fit: () => {
        throw new Error('singular matrix');
      },
    };
    const result = forecastSeries(demand, { horizon: 7, windows: 3, models: [broken, MODELS.Mean!] });
    expect(result.results.find((r) => r.model === 'Broken')).toMatchObject({
      error: 'singular matrix',
      points: [],
      backtest: null,
    });
    expect(['SeasonalNaive', 'Mean']).toContain(result.chosen);
  });

  it('3 days of history: no backtest, the seasonal naive forecast, intervals from the spread', () => {
    const result = forecastSeries(series([4, 6, 5]), {
      horizon: 3,
      windows: 3,
      models: [MODELS.Prophet!, MODELS.ARIMA!],
    });
    expect(result.chosen).toBe('SeasonalNaive');
    expect(result.reason).toBe('too little history to backtest: the seasonal naive forecast');
    const chosen = result.results.find((r) => r.model === 'SeasonalNaive')!;
    expect(chosen.points.map((p) => p.value)).toEqual([5, 5, 5]);
    expect(chosen.points[0]!.upper_95).toBeGreaterThan(5);
    // without a backtest nothing could tell a costly model's worth: none is fitted
    expect(result.results.map((r) => r.model).sort()).toEqual(['SeasonalNaive']);
    expect(result.costly).toBe(0);
  });

  it('all zeros: zeros with zero-width intervals, whatever the models', () => {
    const result = forecastSeries(series(Array(60).fill(0)), {
      horizon: 7,
      windows: 3,
      models: ['Prophet', 'ETS', 'XGBoost'].map((m) => MODELS[m]!),
    });
    const chosen = result.results.find((r) => r.model === result.chosen)!;
    for (const p of chosen.points)
      expect(p).toEqual({ value: 0, lower_80: 0, upper_80: 0, lower_95: 0, upper_95: 0 });
  });

  /** A level-wide forecast handed in, as the global model's are: `level` on every window and the future. */
  const given = (level: number, windows = [0, 1, 2]): Trial => ({
    model: 'Global',
    windows: [0, 1, 2].map((k) => (windows.includes(k) ? Array<number>(14).fill(level) : undefined)),
    final: Array<number>(14).fill(level),
  });

  it('screens: where a given model beats SeasonalNaive by 10 % on the latest window, no costly fit', () => {
    const fits: number[] = [];
    const spy = constant('Spy', 18, fits);
    const weekly = (k: number) => demand.values.slice(200 - (3 - k) * 14, 200 - (2 - k) * 14);
    const exact: Trial = { model: 'Global', windows: [0, 1, 2].map(weekly), final: WEEK.concat(WEEK) };
    const passed = forecastSeries(demand, { horizon: 14, windows: 3, models: [spy], given: [exact] });
    expect(fits).toEqual([]);
    expect(passed.costly).toBe(0);
    expect(passed.chosen).toBe('Global');
    // a given model no better than the baseline lets the costly ones in
    forecastSeries(demand, { horizon: 14, windows: 3, models: [spy], given: [given(18)] });
    expect(fits).toHaveLength(4);
    // and `screen: false` fits them whatever the cheap ones did
    forecastSeries(demand, { horizon: 14, windows: 3, models: [spy], given: [exact], screen: false });
    expect(fits).toHaveLength(8);
  });

  it('only a model scored on every window can win: one missing a window never beats SeasonalNaive on fewer', () => {
    const weekly = (k: number) => demand.values.slice(200 - (3 - k) * 14, 200 - (2 - k) * 14);
    const partial: Trial = { model: 'Global', windows: [undefined, weekly(1), weekly(2)], final: WEEK };
    const result = forecastSeries(demand, { horizon: 14, windows: 3, models: [], given: [partial] });
    expect(result.results.find((r) => r.model === 'Global')!.backtest!.windows).toBe(2);
    expect(result.chosen).not.toBe('Global');
  });

  it('routes an intermittent series to the Croston class and a smooth one away from it', () => {
    const fits: number[] = [];
    const models = ['Mean', 'TSB', 'Croston', 'ADIDA']
      .map((m) => MODELS[m]!)
      .concat(constant('Spy', 1, fits));
    const sparse = series(Array.from({ length: 200 }, (_, i) => (i % 5 === 2 ? 3 + (i % 3) : 0)));
    const r = forecastSeries(sparse, { horizon: 14, windows: 3, models });
    expect(r.pattern).toMatchObject({ pattern: 'intermittent', adi: 5 });
    expect(r.results.map((x) => x.model).sort()).toEqual([
      'ADIDA',
      'Croston',
      'Mean',
      'SeasonalNaive',
      'TSB',
    ]);
    expect(fits).toEqual([]);
    expect(r.reason).toMatch(/; intermittent demand \(ADI 5\.00, CV² 0\.\d\d\)$/);
    const smooth = forecastSeries(demand, { horizon: 14, windows: 3, models });
    expect(smooth.pattern.pattern).toBe('smooth');
    expect(smooth.results.map((x) => x.model)).not.toContain('Croston');
    expect(smooth.results.map((x) => x.model)).toContain('TSB');
  });

  it('spends the costly fits on a stable share of the series the screen lets in, whatever their chunk', () => {
    const fits: number[] = [];
    const spy = constant('Spy', 18, fits);
    // the given model off by 16 units a day: every series fails the screen; a good one passes it
    const keys = Array.from({ length: 200 }, (_, i) => `store-${i % 7}|cat|p-${i}`);
    const items = keys.map((key) => ({ series: demand, given: [given(36)], key }));
    const all = forecastChunk(items, { horizon: 14, windows: 3, models: [spy] }, 0.1);
    const chosen = keys.filter((_, i) => all[i]!.costly > 0);
    // the keys whose FNV-1a hash falls in the lowest tenth: 22 of these 200
    expect(chosen).toEqual(keys.filter((k) => fnv1a(k) / 2 ** 32 < 0.1));
    expect(chosen).toHaveLength(22);
    expect(fits).toHaveLength(4 * 22); // the latest window, the two before it, the whole series
    // the same lots in other chunks, and none where the screen keeps the costly models out
    const split = [items.slice(0, 3), items.slice(3, 150), items.slice(150)].flatMap((chunk) =>
      forecastChunk(chunk, { horizon: 14, windows: 3, models: [spy] }, 0.1),
    );
    expect(split.map((r) => r.costly)).toEqual(all.map((r) => r.costly));
    const weekly = (k: number) => demand.values.slice(200 - (3 - k) * 14, 200 - (2 - k) * 14);
    const exact: Trial = { model: 'Global', windows: [0, 1, 2].map(weekly), final: WEEK.concat(WEEK) };
    const good = keys.map((key) => ({ series: demand, given: [exact], key }));
    const screened = forecastChunk(good, { horizon: 14, windows: 3, models: [spy] }, 1);
    expect(screened.filter((r) => r.costly)).toHaveLength(0);
  });
});
