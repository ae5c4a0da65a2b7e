import { dateOf } from '../types.js';
import { prefixSums, type LevelSeries } from './features.js';

/**
 * A level's seasonal profile: how much a weekday, and a month, sells against the year around it, pooled over
 * every series of the level (product × store, or category × store). With a series' own level it forecasts
 * the classical multiplicative way (level × weekday × month): on store-item-demand it beats every per-series
 * model and the trees (BENCHMARKS.md), as the indices a chain plans with do.
 */
export interface Profile {
  weekday: number[];
  month: number[];
  /** Yearly growth of the level's demand: its last 364 days over the 364 before. */
  growth: number;
}

const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
const monthOf = (day: number) => Number(dateOf(day).slice(5, 7)) - 1;
/** Days from the centre of the level's 364 days to the origin. */
const GROWTH_DAYS = 182;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The profile from the days before `cutoff` (a day number), by ratio to a centred 365-day moving average
 * (the textbook decomposition: the average holds the trend, the ratios the seasons); null without a year of
 * history anywhere in the level.
 */
export function trainProfile(level: LevelSeries[], cutoff: number): Profile | null {
  const sums = Array.from({ length: 7 }, () => Array<number>(12).fill(0));
  let lastYear = 0;
  let yearBefore = 0;
  const counts = Array.from({ length: 7 }, () => Array<number>(12).fill(0));
  for (const s of level) {
    const end = Math.min(s.values.length, cutoff - s.start);
    const prefix = prefixSums(s.values);
    if (end >= 728) {
      lastYear += prefix[end]! - prefix[end - 364]!;
      yearBefore += prefix[end - 364]! - prefix[end - 728]!;
    }
    for (let t = 182; t + 183 <= end; t++) {
      const average = (prefix[t + 183]! - prefix[t - 182]!) / 365;
      if (average <= 0) continue;
      const day = s.start + t;
      sums[weekdayOf(day)]![monthOf(day)]! += s.values[t]! / average;
      counts[weekdayOf(day)]![monthOf(day)]!++;
    }
  }
  const total = counts.flat().reduce((a, b) => a + b, 0);
  if (!total) return null;
  const weekday = sums.map(
    (row, w) => row.reduce((a, b) => a + b, 0) / counts[w]!.reduce((a, b) => a + b, 0),
  );
  const month = Array.from({ length: 12 }, (_, m) => {
    let sum = 0;
    let n = 0;
    for (let w = 0; w < 7; w++) {
      sum += sums[w]![m]! / weekday[w]!;
      n += counts[w]![m]!;
    }
    return n ? sum / n : 1;
  });
  const w = mean(weekday);
  const m = mean(month);
  return {
    weekday: weekday.map((x) => (Number.isFinite(x) ? x / w : 1)),
    month: month.map((x) => x / m),
    growth: lastYear > 0 && yearBefore > 0 ? lastYear / yearBefore : 1,
  };
}

/**
 * `days` days from origin `o`: the series' deseasonalised mean of its last 364 days (its level half a year
 * before the origin), grown at the level's yearly rate to each day, × the profile.
 */
export function forecastProfile(p: Profile, s: LevelSeries, o: number, days: number): number[] {
  const from = Math.max(0, o - 364);
  let level = 0;
  for (let i = from; i < o; i++) {
    const day = s.start + i;
    level += s.values[i]! / (p.weekday[weekdayOf(day)]! * p.month[monthOf(day)]!);
  }
  level = o > from ? level / (o - from) : 0;
  return Array.from({ length: days }, (_, h) => {
    const day = s.start + o + h;
    const grown = level * p.growth ** ((GROWTH_DAYS + h) / 365);
    return Math.max(0, grown * p.weekday[weekdayOf(day)]! * p.month[monthOf(day)]!);
  });
}
