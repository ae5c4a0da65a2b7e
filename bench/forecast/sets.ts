import { readFileSync } from 'node:fs';
import { seeded } from '../../services/forecaster/src/models/random.js';
import type { Series } from '../../services/forecaster/src/models/types.js';
import { dataset } from '../support/datasets.js';

/** A series of a benchmark set, with the codes (store, category) the global model tells groups apart by. */
export interface SetSeries {
  id: string;
  series: Series;
  codes: [number, number];
}

function load(file: string, key: (r: string[]) => string, date: number, value: number, price?: number) {
  const rows = readFileSync(dataset(file), 'utf8').trim().split('\n').slice(1);
  const series = new Map<string, Series & { row: string[]; prices: number[] }>();
  for (const line of rows) {
    const r = line.split(',');
    const s =
      series.get(key(r)) ?? series.set(key(r), { dates: [], values: [], prices: [], row: r }).get(key(r))!;
    s.dates.push(r[date]!);
    s.values.push(Number(r[value]));
    if (price !== undefined) s.prices.push(Number(r[price]));
  }
  return [...series.entries()];
}

/** store-item-demand: the 82 complete store × item series of 2013–2017 (the sample holds part of one more). */
export function storeItem(): SetSeries[] {
  const all = load('store-item-demand/retail_sales_sample.csv', (r) => `${r[1]}-${r[2]}`, 0, 3);
  const longest = Math.max(...all.map(([, s]) => s.values.length));
  return all
    .filter(([, s]) => s.values.length === longest)
    .map(([id, s]) => ({
      id,
      series: { dates: s.dates, values: s.values },
      codes: [Number(s.row[1]), Number(s.row[2])],
    }));
}

/** retail-store-inventory: demand per category over 5 stores, 2022–2023 (5 series; synthetic upstream). */
export function categories(): SetSeries[] {
  return load('retail-store-inventory/daily_demand_by_category.csv', (r) => r[0]!, 1, 2).map(
    ([id, s], i) => ({
      id,
      series: { dates: s.dates, values: s.values },
      codes: [0, i],
    }),
  );
}

/** Each unit kept with probability p (binomial thinning): the same shape at a smaller size. */
function thin(values: number[], p: number, next: () => number) {
  return values.map((v) => {
    let kept = 0;
    for (let u = 0; u < v; u++) if (next() < p) kept++;
    return kept;
  });
}

/**
 * Intermittent demand from real series: store-item-demand's 82 series thinned to 1–3 % of their units (0.3–2
 * a day, most days without a sale), as a slow-moving item of the same store sells.
 */
export function intermittent(seed = 5): SetSeries[] {
  const next = seeded(seed);
  return storeItem().map((s) => ({
    ...s,
    id: `${s.id}-slow`,
    series: { ...s.series, values: thin(s.series.values, 0.01 + 0.02 * next(), next) },
  }));
}

/**
 * A chain's catalogue built from store-item-demand: `count` series, each one of the 82 real series thinned
 * to a random share of its units (2–100 %, log-uniform: many slow movers, some fast ones) and started up to
 * 8 weeks later (its yearly pattern shifted, weekdays kept), the last `days` days of it; 40 stores × 10
 * categories as codes. `end` moves the dates to end on that day (by whole weeks: weekdays stay).
 */
export function catalogue(count: number, days: number, seed = 9, end?: string): SetSeries[] {
  const base = storeItem();
  const next = seeded(seed);
  return Array.from({ length: count }, (_, j) => {
    const s = base[j % base.length]!;
    const p = Math.exp(Math.log(0.02) * next());
    const shift = 7 * Math.floor(next() * 9);
    const values = thin(s.series.values.slice(0, s.series.values.length - shift), p, next).slice(-days);
    let dates = s.series.dates.slice(shift).slice(-days);
    if (end) {
      const last = Date.parse(`${end}T00:00:00Z`) / 86_400_000;
      const weeks = Math.floor((last - Date.parse(`${dates.at(-1)}T00:00:00Z`) / 86_400_000) / 7) * 7;
      dates = dates.map((d) =>
        new Date(Date.parse(`${d}T00:00:00Z`) + weeks * 86_400_000).toISOString().slice(0, 10),
      );
    }
    return { id: `S${j % 40}/P${j}`, series: { dates, values }, codes: [j % 40, Math.floor(j / 40) % 10] };
  });
}
