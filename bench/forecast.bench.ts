/**
 * `pnpm bench:forecast`: forecast quality and speed through the forecaster's own code path (its thread pool
 * running the automatic pipeline), on public data with the last 90 days held out.
 * 1. store-item-demand (82 store × item daily series, 2013–2017): MASE and SMAPE of every model fitted alone
 *    on the training days, of the automatic choice, 80 % / 95 % interval coverage, and series per second of
 *    the automatic pipeline on every core.
 * 2. retail-store-inventory, demand per category (5 series): MAE of the automatic choice against the mean
 *    of the training days (the published baseline, 562–618 per category).
 * Prints figures; fails on no threshold.
 */
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { coverage, mase, naiveScale, smape } from '../services/forecaster/src/domain/metrics.js';
import { DEFAULT_MODELS, MODELS } from '../services/forecaster/src/models/registry.js';
import type { Series } from '../services/forecaster/src/models/types.js';
import { createForecastPool } from '../services/forecaster/src/workers/pool.js';
import { dataset } from './support/datasets.js';
import { report } from './support/report.js';

const H = 90;
const LIMIT = Number(process.env.BENCH_SERIES ?? Infinity);
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function load(file: string, key: (r: string[]) => string, date: number, value: number): Map<string, Series> {
  const rows = readFileSync(dataset(file), 'utf8').trim().split('\n').slice(1);
  const series = new Map<string, Series>();
  for (const row of rows) {
    const r = row.split(',');
    const s = series.get(key(r)) ?? series.set(key(r), { dates: [], values: [] }).get(key(r))!;
    s.dates.push(r[date]!);
    s.values.push(Number(r[value]));
  }
  return series;
}

const split = (s: Series) => ({
  train: { dates: s.dates.slice(0, -H), values: s.values.slice(0, -H) },
  test: s.values.slice(-H),
});

// the complete series (the sample also holds the first 267 days of one more)
const all = [...load('store-item-demand/retail_sales_sample.csv', (r) => `${r[1]}-${r[2]}`, 0, 3).values()];
const longest = Math.max(...all.map((s) => s.values.length));
const storeItem = all.filter((s) => s.values.length === longest).slice(0, LIMIT);
const threads = availableParallelism();
const pool = createForecastPool(threads);
const table: Record<string, { mase: number[]; smape: number[] }> = {};
const record = (model: string, test: number[], forecast: number[], scale: number) => {
  const row = (table[model] ??= { mase: [], smape: [] });
  row.mase.push(mase(test, forecast, scale));
  row.smape.push(smape(test, forecast));
};

// every model alone, one fit on the training days (the main thread, one model at a time)
const fitSeconds: Record<string, number> = {};
for (const name of [...DEFAULT_MODELS, 'RandomForest']) {
  const t0 = performance.now();
  for (const s of storeItem) {
    const { train, test } = split(s);
    try {
      const forecast = MODELS[name]!.fit(train)
        .predict(H)
        .map((v) => Math.max(0, v));
      record(name, test, forecast, naiveScale(train.values));
    } catch {
      record(name, test, Array<number>(H).fill(NaN), naiveScale(train.values));
    }
  }
  fitSeconds[name] = (performance.now() - t0) / storeItem.length;
}

// the automatic pipeline on the pool: warm the threads first, then time the whole set
await Promise.all(
  Array.from({ length: threads }, () =>
    pool.run({ series: split(storeItem[0]!).train, horizon: H, windows: 3, models: DEFAULT_MODELS }),
  ),
);
const t0 = performance.now();
const auto = await Promise.all(
  storeItem.map((s) => pool.run({ series: split(s).train, horizon: H, windows: 3, models: DEFAULT_MODELS })),
);
const seconds = (performance.now() - t0) / 1000;
const chosen: Record<string, number> = {};
const inside = { 80: [] as number[], 95: [] as number[] };
auto.forEach((result, i) => {
  const { train, test } = split(storeItem[i]!);
  const points = result.results.find((r) => r.model === result.chosen)!.points;
  record(
    'automatic choice',
    test,
    points.map((p) => p.value),
    naiveScale(train.values),
  );
  chosen[result.chosen] = (chosen[result.chosen] ?? 0) + 1;
  for (const level of [80, 95] as const)
    inside[level].push(
      coverage(
        test,
        points.map((p) => p[`lower_${level}`]),
        points.map((p) => p[`upper_${level}`]),
      ),
    );
});

console.log(`store-item-demand: ${storeItem.length} series, last ${H} days held out`);
console.log('model              MASE   SMAPE  ms per fit');
for (const [name, row] of Object.entries(table)) {
  const ok = row.mase.filter(Number.isFinite);
  const failed = row.mase.length - ok.length;
  console.log(
    `${name.padEnd(17)} ${avg(ok).toFixed(3)}  ${avg(row.smape.filter(Number.isFinite)).toFixed(2).padStart(5)}` +
      `  ${fitSeconds[name] !== undefined ? fitSeconds[name].toFixed(0).padStart(6) : '     -'}` +
      (failed ? `  (${failed} failed)` : ''),
  );
}
console.log(
  `chosen: ${Object.entries(chosen)
    .map(([m, c]) => `${m} ${c}`)
    .join(', ')}`,
);
console.log(
  `interval coverage: 80 % → ${avg(inside[80]).toFixed(1)} %, 95 % → ${avg(inside[95]).toFixed(1)} %`,
);
const mean = (model: string, metric: 'mase' | 'smape') => avg(table[model]![metric].filter(Number.isFinite));
report({
  bench: 'forecast',
  name: 'automatic choice MASE (store-item-demand)',
  value: mean('automatic choice', 'mase'),
  unit: '',
  ceiling: { name: 'SeasonalNaive', value: mean('SeasonalNaive', 'mase') },
  target: { op: '<=', value: 0.72 },
});
report({
  bench: 'forecast',
  name: 'automatic choice SMAPE',
  value: mean('automatic choice', 'smape'),
  unit: '%',
  target: { op: '<=', value: 13.5 },
});
report({
  bench: 'forecast',
  name: 'interval coverage, 80 % band',
  value: avg(inside[80]),
  unit: '%',
  detail: `target 75–85 %; 95 % band: ${avg(inside[95]).toFixed(1)} %`,
});
report({
  bench: 'forecast',
  name: `automatic pipeline on ${threads} threads`,
  value: storeItem.length / seconds,
  unit: 'series/s',
  target: { op: '>=', value: 10 },
  detail: `${DEFAULT_MODELS.length} models, 3 backtest windows, ${storeItem.length} series`,
});

// category demand with no exploitable signal: must not do worse than its mean
const categories = load('retail-store-inventory/daily_demand_by_category.csv', (r) => r[0]!, 1, 2);
const maes: { category: string; auto: number; mean: number; model: string }[] = [];
for (const [category, s] of categories) {
  const { train, test } = split(s);
  const result = await pool.run({ series: train, horizon: H, windows: 3, models: DEFAULT_MODELS });
  const points = result.results.find((r) => r.model === result.chosen)!.points;
  const level = avg(train.values);
  maes.push({
    category,
    model: result.chosen,
    auto: avg(test.map((a, i) => Math.abs(a - points[i]!.value))),
    mean: avg(test.map((a) => Math.abs(a - level))),
  });
}
console.log(`retail-store-inventory by category: ${train641()} training days, last ${H} held out`);
for (const m of maes)
  console.log(
    `  ${m.category.padEnd(12)} MAE ${m.auto.toFixed(1)} (${m.model}); mean baseline ${m.mean.toFixed(1)}`,
  );
report({
  bench: 'forecast',
  name: 'category demand average MAE (retail-store-inventory)',
  value: avg(maes.map((m) => m.auto)),
  unit: 'units',
  ceiling: { name: 'the mean baseline', value: avg(maes.map((m) => m.mean)) },
});
await pool.close();

function train641() {
  return ([...categories.values()][0]?.values.length ?? H) - H;
}
