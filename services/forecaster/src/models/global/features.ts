import { DAY_MS } from '../types.js';

/**
 * One series of a level as the global model sees it: daily demand from `start` (days since 1970-01-01),
 * and codes of what it belongs to (store, category) so that the trees can tell groups of series apart.
 */
export interface LevelSeries {
  values: Float32Array;
  /** Unit price per day, NaN where unknown. */
  prices?: Float32Array;
  start: number;
  codes: readonly [number, number];
}

/** Missing (no history that far back); XGBoost sends it down the branch it learnt for it. */
const NONE = -1;

export const FEATURES = [
  'weekday',
  'month',
  'day_of_month',
  'day_of_year',
  'step',
  'ratio_7',
  'ratio_28',
  'ratio_91',
  'same_weekday_8w',
  'last_year_week',
  'last_year_day',
  'year_on_year',
  'log_level',
  'store',
  'category',
  'price_change',
] as const;
export const COLUMNS = FEATURES.length;

/** Prefix sums of a series, for the mean of any run of days in O(1). */
export function prefixSums(values: Float32Array): Float64Array {
  const sums = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) sums[i + 1] = sums[i]! + values[i]!;
  return sums;
}

/**
 * The level a series' forecast from origin `o` (its first unseen day) is relative to: its mean over the
 * last 364 days before `o` (all of them when fewer). Targets and forecasts are ratios to it, so one model
 * serves series of every size; null when nothing sold.
 */
export function levelAt(sums: Float64Array, o: number): number | null {
  const from = Math.max(0, o - 364);
  const level = (sums[o]! - sums[from]!) / (o - from);
  return level > 0 ? level : null;
}

/**
 * The features of day `o + h - 1` (step `h` ≥ 1) seen from origin `o`: its calendar, how the recent weeks
 * stand against the level, the same weekday in the last eight weeks, the same week and day a year
 * before (52 weeks, so weekdays align), growth over the year, the size of the series and its groups, and
 * the latest price against the last quarter's.
 * Everything is known at the origin: the model forecasts every step directly, never from its own output.
 */
export function writeFeatures(
  s: LevelSeries,
  sums: Float64Array,
  o: number,
  h: number,
  level: number,
  out: Float32Array,
  at: number,
): void {
  const t = o + h - 1;
  const mean = (from: number, to: number) =>
    from < 0 || to > o ? NONE : (sums[to]! - sums[from]!) / (to - from) / level;
  const date = new Date((s.start + t) * DAY_MS);
  const year = date.getUTCFullYear();
  let weekday = 0;
  let count = 0;
  for (let k = t - 7; k >= 0 && count < 8; k -= 7) {
    if (k < o) {
      weekday += s.values[k]!;
      count++;
    }
  }
  const yearAgo = t - 364;
  const lastYear = (sums[o]! - sums[Math.max(0, o - 91)]!) / Math.min(o, 91);
  const before = o - 364 - 91 >= 0 ? (sums[o - 364]! - sums[o - 364 - 91]!) / 91 : 0;
  out.set(
    [
      date.getUTCDay(),
      date.getUTCMonth(),
      date.getUTCDate(),
      Math.floor((date.getTime() - Date.UTC(year, 0, 1)) / DAY_MS),
      h,
      mean(o - 7, o),
      mean(o - 28, o),
      mean(o - 91, o),
      count ? weekday / count / level : NONE,
      mean(yearAgo - 3, yearAgo + 4),
      yearAgo >= 0 && yearAgo < o ? s.values[yearAgo]! / level : NONE,
      before > 0 ? lastYear / before : NONE,
      Math.log(level),
      s.codes[0],
      s.codes[1],
      priceChange(s.prices, o),
    ],
    at,
  );
}

/**
 * The latest known price before origin `o` over the mean known price of the 91 days before it: a price
 * cut or rise the coming days will feel (missing where prices are not known).
 */
function priceChange(prices: Float32Array | undefined, o: number): number {
  if (!prices) return NONE;
  let latest = NaN;
  let sum = 0;
  let count = 0;
  for (let i = o - 1; i >= Math.max(0, o - 91); i--) {
    const p = prices[i]!;
    if (Number.isNaN(p)) continue;
    if (Number.isNaN(latest)) latest = p;
    sum += p;
    count++;
  }
  return count && sum > 0 ? (latest * count) / sum : NONE;
}
