import { tail, type Series } from './types.js';

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * The weekly pattern as a multiplicative factor per weekday (from the last year: the mean of that weekday
 * over the mean of all days), for models with no seasonality of their own: they fit the series divided by
 * it, and `reseasonalize` multiplies their forecasts back. A weekday that never sells keeps factor 1.
 */
export function weekdayAdjusted(series: Series) {
  const recent = tail(series, 365);
  const sums = Array<number>(7).fill(0);
  const counts = Array<number>(7).fill(0);
  recent.dates.forEach((d, i) => {
    sums[weekday(d)]! += recent.values[i]!;
    counts[weekday(d)]!++;
  });
  const mean = recent.values.reduce((a, b) => a + b, 0) / recent.values.length || 1;
  const factor = sums.map((s, i) => (counts[i] && s > 0 ? s / counts[i] / mean : 1));
  const next = weekday(series.dates.at(-1)!) + 1;
  return {
    values: series.values.map((v, i) => v / factor[weekday(series.dates[i]!)]!),
    /** Puts the weekly pattern back on a forecast of the days after the series. */
    reseasonalize: (forecast: number[]) => forecast.map((v, i) => v * factor[(next + i) % 7]!),
  };
}
