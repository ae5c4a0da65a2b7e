/** A daily series: one value per consecutive UTC day, `dates[i]` being `YYYY-MM-DD`. */
export interface Series {
  dates: string[];
  values: number[];
  /** The unit price of each day, where known (the global model's price feature). */
  prices?: (number | null)[];
}

/** A fitted model: point forecasts for the next days after the data it was fitted on. */
export interface Fitted {
  predict(horizon: number): number[];
}

/**
 * A forecasting method. `fit` may throw (a library refusing the data): the pipeline then drops the model for
 * that series, and SeasonalNaive always remains.
 */
export interface Model {
  readonly name: string;
  /** Shortest series it can fit. */
  readonly minLength: number;
  /** Fits in microseconds: never dropped from the race to save time. */
  readonly cheap?: boolean;
  fit(series: Series): Fitted;
}

export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

const dates = new Map<number, string>();
/** The `YYYY-MM-DD` of a day number; each day's string made once (series share their calendar). */
export function dateOf(day: number): string {
  let date = dates.get(day);
  if (date === undefined) dates.set(day, (date = new Date(day * DAY_MS).toISOString().slice(0, 10)));
  return date;
}

/** The dates that follow a series' last date. */
export function futureDates(last: string, horizon: number): string[] {
  const start = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: horizon }, (_, i) =>
    new Date(start + (i + 1) * DAY_MS).toISOString().slice(0, 10),
  );
}

/** The last `n` days of a series (long histories cost time and rarely help beyond two years). */
export function tail(series: Series, n: number): Series {
  if (n >= series.values.length) return series;
  const cut = { dates: series.dates.slice(-n), values: series.values.slice(-n) };
  return series.prices ? { ...cut, prices: series.prices.slice(-n) } : cut;
}
