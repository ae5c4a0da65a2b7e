import { describe, expect, it } from '@jest/globals';
import { seeded } from '../models/random.js';
import { MODELS } from '../models/registry.js';
import { forecastSeries } from './pipeline.js';

/** Poisson draws (Knuth). */
const poisson = (mean: number, next: () => number) => {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = next(); p > limit; p *= next()) k++;
  return k;
};
const WEEKDAY = [0.8, 0.9, 1, 1, 1.1, 1.4, 1.6];
const dates = (n: number) =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(2023, 0, 1 + i)).toISOString().slice(0, 10));

describe('prediction intervals', () => {
  it('cover about 80 % and 95 % of held-out days of simulated demand', () => {
    const next = seeded(42);
    const inside = { 80: 0, 95: 0 };
    let days = 0;
    for (let s = 0; s < 60; s++) {
      const size = 3 + 40 * next();
      const values = Array.from({ length: 400 + 28 }, (_, t) => poisson(size * WEEKDAY[t % 7]!, next));
      const result = forecastSeries(
        { dates: dates(400), values: values.slice(0, 400) },
        { horizon: 28, windows: 3, models: ['Mean', 'TSB'].map((m) => MODELS[m]!) },
      );
      const points = result.results.find((r) => r.model === result.chosen)!.points;
      values.slice(400).forEach((actual, h) => {
        const p = points[h]!;
        if (actual >= p.lower_80 && actual <= p.upper_80) inside[80]++;
        if (actual >= p.lower_95 && actual <= p.upper_95) inside[95]++;
        days++;
      });
    }
    // 1,680 days: the binomial spread of a true 80 % share is ±2 points (2σ)
    expect(inside[80] / days).toBeGreaterThan(0.74);
    expect(inside[80] / days).toBeLessThan(0.88);
    expect(inside[95] / days).toBeGreaterThan(0.9);
    expect(inside[95] / days).toBeLessThanOrEqual(0.99);
  });
});
