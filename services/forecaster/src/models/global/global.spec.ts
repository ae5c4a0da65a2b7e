import { describe, expect, it } from '@jest/globals';
import type { LevelSeries } from './features.js';
import { forecastGlobal, trainGlobal } from './global.js';
import { forecastProfile, trainProfile } from './profile.js';

const START = Date.UTC(2022, 0, 3) / 86_400_000; // a Monday
const DAYS = 730;
const WEEKDAY = [0.7, 0.8, 0.9, 1, 1.1, 1.5, 1.8]; // Sunday .. Saturday
const weekdayOf = (t: number) => new Date((START + t) * 86_400_000).getUTCDay();
// fixed noise of ±3 %, so that no model can be exact
const wobble = (i: number, t: number) => 1 + 0.03 * Math.sin(i * 12.9898 + t * 78.233);

/** 40 series of one level: each its own size, one weekly pattern, a trend of +30 % a year. */
function level(change: (i: number, t: number) => number = () => 1): LevelSeries[] {
  return Array.from({ length: 40 }, (_, i) => ({
    values: Float32Array.from({ length: DAYS }, (_, t) =>
      Math.round((5 + 3 * i) * WEEKDAY[weekdayOf(t)]! * (1 + (0.3 * t) / 365) * wobble(i, t) * change(i, t)),
    ),
    start: START,
    codes: [i % 4, 0] as const,
  }));
}
const options = { horizon: 28, rows: 30_000, origins: 40, stride: 14 };
const forecast = (series: LevelSeries[], i: number) => {
  const booster = trainGlobal(series, START + DAYS, options)!;
  try {
    return forecastGlobal(booster, [{ s: series[i]!, o: DAYS }], 28)[0]!;
  } finally {
    booster.free();
  }
};
const truth = (i: number, h: number, shift = 1) =>
  (5 + 3 * i) * WEEKDAY[weekdayOf(DAYS + h)]! * (1 + (0.3 * (DAYS + h)) / 365) * shift;
const mape = (f: number[], i: number, shift = 1) =>
  f.reduce((s, v, h) => s + Math.abs(v - truth(i, h, shift)) / truth(i, h, shift), 0) / f.length;

describe('the global model', () => {
  it('learns a weekly pattern × a trend shared by the series of a level, at each series own size', () => {
    const series = level();
    for (const i of [3, 30]) {
      const f = forecast(series, i);
      expect(mape(f, i)).toBeLessThan(0.03);
      // Saturday above Sunday, in every week of the horizon
      for (let h = 0; h < 28; h++)
        if (weekdayOf(DAYS + h) === 6) expect(f[h]!).toBeGreaterThan(f[h - 6] ?? f[h + 1]!);
    }
  }, 60_000);

  it('follows a level shift in the last six weeks instead of the year before it', () => {
    // series 10 doubles 42 days before the end
    const series = level((i, t) => (i === 10 && t >= DAYS - 42 ? 2 : 1));
    const f = forecast(series, 10);
    expect(mape(f, 10, 2)).toBeLessThan(0.2);
    expect(mape(f, 10, 2)).toBeLessThan(mape(f, 10, 1));
  }, 60_000);

  it('forecasts an intermittent series near its rate, never below zero', () => {
    const series = level();
    series[0] = {
      ...series[0]!,
      values: Float32Array.from({ length: DAYS }, (_, t) => (t % 5 === 2 ? 3 : 0)),
    };
    const f = forecast(series, 0);
    const mean = f.reduce((a, b) => a + b, 0) / f.length;
    for (const v of f) expect(v).toBeGreaterThanOrEqual(0);
    expect(mean).toBeGreaterThan(0.3);
    expect(mean).toBeLessThan(1.2);
  }, 60_000);

  it('is deterministic: the same data gives the same forecast', () => {
    const series = level();
    expect(forecast(series, 7)).toEqual(forecast(series, 7));
  }, 60_000);

  it('the seasonal profile: weekday and month indices pooled over the level, and its yearly growth', () => {
    const MONTH = [0.8, 0.85, 0.9, 1, 1.05, 1.1, 1.15, 1.1, 1, 0.95, 1, 1.1];
    const monthOf = (t: number) => new Date((START + t) * 86_400_000).getUTCMonth();
    const series: LevelSeries[] = Array.from({ length: 20 }, (_, i) => ({
      values: Float32Array.from(
        { length: DAYS },
        (_, t) => (10 + 5 * i) * WEEKDAY[weekdayOf(t)]! * MONTH[monthOf(t)]! * 1.2 ** (t / 365),
      ),
      start: START,
      codes: [0, 0] as const,
    }));
    const p = trainProfile(series, START + DAYS)!;
    // indices relative to their mean, as given
    const relative = (xs: number[]) => xs.map((x) => x / (xs.reduce((a, b) => a + b, 0) / xs.length));
    p.weekday.forEach((w, d) => expect(w).toBeCloseTo(relative(WEEKDAY)[d]!, 1));
    p.month.forEach((m, k) => expect(m).toBeCloseTo(relative(MONTH)[k]!, 1));
    expect(p.growth).toBeCloseTo(1.2, 2);
    const f = forecastProfile(p, series[4]!, DAYS, 28);
    const truth = f.map(
      (_, h) => 30 * WEEKDAY[weekdayOf(DAYS + h)]! * MONTH[monthOf(DAYS + h)]! * 1.2 ** ((DAYS + h) / 365),
    );
    const error = f.reduce((s, v, h) => s + Math.abs(v - truth[h]!) / truth[h]!, 0) / f.length;
    expect(error).toBeLessThan(0.03);
    // less than a year of history anywhere: no profile
    expect(
      trainProfile(
        series.map((s) => ({ ...s, values: s.values.slice(0, 300) })),
        START + 300,
      ),
    ).toBeNull();
  });
});
