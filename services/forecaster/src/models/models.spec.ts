import { describe, expect, it } from '@jest/globals';
import { MODELS } from './registry.js';
import { tsb } from './simple.js';
import type { Model } from './types.js';

/** Each model against series whose right forecast is known. */
const days = (n: number) =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
const forecast = (model: Model, values: number[], h = 14) =>
  model.fit({ dates: days(values.length), values }).predict(h);
const mae = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const WEEK = [10, 12, 14, 16, 18, 30, 40];
const weekly = Array.from({ length: 16 * 7 }, (_, i) => WEEK[i % 7]!);
const noise = (i: number) => ((i * 7919) % 3) - 1; // -1, 0 or 1, fixed
const line = (i: number) => 20 + 0.5 * i;
const trend = Array.from({ length: 120 }, (_, i) => line(i) + noise(i));
const intermittent = Array.from({ length: 120 }, (_, i) => (i % 10 === 3 ? 4 : i % 17 === 5 ? 2 : 0));
const all = Object.values(MODELS);

describe('models on known series', () => {
  it.each(['SeasonalNaive', 'ARIMA', 'ETS', 'MSTL', 'Prophet', 'XGBoost'])(
    '%s forecasts a pure weekly pattern exactly',
    (name) => {
      expect(mae(forecast(MODELS[name]!, weekly), [...WEEK, ...WEEK])).toBeLessThan(0.05);
    },
  );

  it('the random forest ranks the weekdays of a weekly pattern right; flat models give its mean', () => {
    const rf = forecast(MODELS.RandomForest!, weekly, 7);
    const order = (xs: number[]) => xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
    expect(order(rf)).toEqual(order(WEEK));
    expect(forecast(MODELS.Mean!, weekly)).toEqual(Array(14).fill(20));
  });

  it.each(['ETS', 'MSTL', 'Prophet'])('%s carries a trend on', (name) => {
    const f = forecast(MODELS[name]!, trend);
    const truth = f.map((_, i) => line(120 + i));
    expect(mae(f, truth)).toBeLessThan(2.5);
    expect(avg(f.slice(7))).toBeGreaterThan(avg(f.slice(0, 7)) + 2);
  });

  it.each(['SeasonalNaive', 'ARIMA', 'XGBoost', 'RandomForest', 'TSB'])(
    '%s holds a trending series near its latest level, without running off',
    (name) => {
      const recent = trend.slice(-14);
      for (const v of forecast(MODELS[name]!, trend)) {
        expect(v).toBeGreaterThan(0.9 * Math.min(...recent));
        expect(v).toBeLessThan(1.1 * Math.max(...recent) + 7);
      }
    },
  );

  it.each(all.map((m) => m.name))(
    '%s forecasts an intermittent series near its rate, never below 0',
    (name) => {
      const f = forecast(MODELS[name]!, intermittent);
      const rate = avg(intermittent);
      for (const v of f) expect(v).toBeGreaterThanOrEqual(0);
      expect(avg(f)).toBeGreaterThan(0.4 * rate);
      expect(avg(f)).toBeLessThan(2 * rate);
    },
  );

  it.each(all.map((m) => m.name).filter((n) => n !== 'Croston'))(
    '%s forecasts a constant as that constant',
    (name) => {
      // within 0.005: Prophet's optimiser stops at a tolerance, XGBoost works in float32
      for (const v of forecast(MODELS[name]!, Array(120).fill(25))) expect(v).toBeCloseTo(25, 2);
    },
  );

  it.each(all.map((m) => m.name))('%s forecasts all zeros as zeros, or refuses the series', (name) => {
    let f: number[];
    try {
      f = forecast(MODELS[name]!, Array(120).fill(0));
    } catch (err) {
      // Prophet's optimiser cannot fit a flat zero series; the pipeline drops it there
      expect(name).toBe('Prophet');
      expect((err as Error).message).toMatch(/optimization/i);
      return;
    }
    for (const v of f) expect(v).toBeCloseTo(0, 5);
  });

  it('a series of 3 days: only models that need no more history fit it', () => {
    const three = [4, 6, 5];
    const fitting = all.filter((m) => m.minLength <= 3).map((m) => m.name);
    expect(fitting.sort()).toEqual(['ADIDA', 'Croston', 'Mean', 'SeasonalNaive', 'TSB']);
    expect(forecast(MODELS.SeasonalNaive!, three, 3)).toEqual([5, 5, 5]);
    expect(forecast(MODELS.Mean!, three, 3)).toEqual([5, 5, 5]);
    // TSB by hand: size 4 → 4 + 0.1·(6 − 4) = 4.2 → 4.2 + 0.1·(5 − 4.2) = 4.28; P(sale) stays 1
    expect(forecast(MODELS.TSB!, three, 1)[0]).toBeCloseTo(4.28, 10);
  });

  it('TSB lets the chance of a sale decay between sales (by hand)', () => {
    // first sale at day 2: size 3, P = 1/2; no sale: P = 0.25, 0.125; sale of 6: P = 0.5625, size 4.5
    expect(forecast(tsb(0.5, 0.5), [0, 3, 0, 0, 6], 2)).toEqual([0.5625 * 4.5, 0.5625 * 4.5]);
  });

  it('Croston-SBA: sizes and intervals smoothed apart, times 1 − α/2 (its bias correction)', () => {
    // every day sells 25: size 25, interval 1 → 0.95 × 25
    for (const v of forecast(MODELS.Croston!, Array(120).fill(25))) expect(v).toBeCloseTo(23.75, 6);
    // 6 every 4th day from day 3: size 6, interval 4 (the first: 3 + 1) → 0.95 × 6 / 4
    const sparse = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? 6 : 0));
    for (const v of forecast(MODELS.Croston!, sparse, 2)) expect(v).toBeCloseTo(1.425, 12);
  });

  it('ADIDA: demand in buckets of the mean interval, smoothed, spread back over the days', () => {
    // 40 days, 10 sales: buckets of 4 days, each holding one sale of 6 → 6 per bucket, 1.5 a day
    const sparse = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? 6 : 0));
    expect(forecast(MODELS.ADIDA!, sparse, 2)).toEqual([1.5, 1.5]);
  });
});
