import { timeChart } from './charts.js';

/** One forecast day: the prediction, its 80 % and 95 % bounds, and what was sold once known. */
export interface Point {
  date: string;
  value: number;
  lower_80: number;
  upper_80: number;
  lower_95: number;
  upper_95: number;
  actual?: number;
}

/**
 * A series' own daily sales (`history`), then its forecast days (with what was sold on them once known), in
 * date order: sales, the forecast dashed, and the 95 % and 80 % bands filled.
 */
export function forecastChart(
  root: HTMLElement,
  title: string,
  name: string,
  item: { history?: { date: string; units: number }[]; points: Point[] },
): void {
  const days = new Map<string, { units?: number; point?: Point }>();
  for (const h of item.history ?? []) days.set(h.date, { units: h.units });
  for (const x of item.points)
    days.set(x.date, {
      ...days.get(x.date),
      point: x,
      ...(x.actual !== undefined ? { units: x.actual } : {}),
    });
  const rows = [...days].sort((a, b) => a[0].localeCompare(b[0]));
  const band = (pick: (x: Point) => number) => rows.map(([, d]) => (d.point ? pick(d.point) : null));
  timeChart(
    root,
    title,
    name,
    rows.map(([date]) => Date.parse(`${date}T00:00:00Z`) / 1000),
    [
      { label: 'sold', values: rows.map(([, d]) => d.units ?? null) },
      { label: 'forecast', values: band((x) => x.value), dash: true },
      { label: 'upper 95 %', values: band((x) => x.upper_95) },
      { label: 'lower 95 %', values: band((x) => x.lower_95) },
      { label: 'upper 80 %', values: band((x) => x.upper_80) },
      { label: 'lower 80 %', values: band((x) => x.lower_80) },
    ],
    [
      [3, 4],
      [5, 6],
    ],
  );
}
