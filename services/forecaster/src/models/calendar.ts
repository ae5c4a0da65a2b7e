import { DAY_MS } from './types.js';

/**
 * Features of a day for the tree models: weekday, month, position in the year (as a point on a circle, so
 * December meets January), and the day number for the trend. Days are counted from `origin`.
 */
export function calendarFeatures(date: string, origin: number): number[] {
  const ms = Date.parse(`${date}T00:00:00Z`);
  const d = new Date(ms);
  const dayOfYear = (ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS;
  const angle = (2 * Math.PI * dayOfYear) / 365.25;
  return [d.getUTCDay(), d.getUTCMonth(), Math.sin(angle), Math.cos(angle), (ms - origin) / DAY_MS];
}
