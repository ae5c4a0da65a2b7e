import { trainBooster, type Booster } from '../booster.js';
import { seeded } from '../random.js';
import { COLUMNS, levelAt, prefixSums, writeFeatures, type LevelSeries } from './features.js';

export interface GlobalOptions {
  horizon: number;
  /** Training rows at most: the sample of (series, origin, step) the trees learn from. */
  rows: number;
  /** Forecast origins per series the sample is drawn from, every `stride` days back from the cutoff. */
  origins: number;
  stride: number;
}

export const GLOBAL_DEFAULTS: Omit<GlobalOptions, 'horizon'> = { rows: 300_000, origins: 100, stride: 14 };

/**
 * XGBoost settings, measured on store-item-demand's 82 series (90 days held out; BENCHMARKS.md): histogram
 * splits with 64 bins (5× faster than exact splits, same error); 4 levels and 200 rounds at 0.1 (MASE 0.711;
 * 6 levels 0.713, 8 levels 0.779). Deterministic: XGBoost's row sampling is seeded, and so is ours.
 */
const PARAMS = {
  booster: 'gbtree',
  objective: 'reg:linear',
  tree_method: 'hist',
  max_bin: 64,
  max_depth: 4,
  eta: 0.1,
  subsample: 0.8,
  min_child_weight: 5,
  seed: 7,
};
const ROUNDS = 200;

/**
 * The training sample for a model that may see only days before `cutoff` (a day number): for each series,
 * origins every `stride` days back from the cutoff, and at each a random choice of steps 1..horizon whose
 * day is before the cutoff; the target is the day's demand over the series' level at that origin.
 */
export function trainingSample(level: LevelSeries[], cutoff: number, options: GlobalOptions) {
  const next = seeded(cutoff);
  const perOrigin = Math.max(
    1,
    Math.min(options.horizon, Math.ceil(options.rows / Math.max(1, level.length * options.origins))),
  );
  const x = new Float32Array(options.rows * COLUMNS);
  const y = new Float32Array(options.rows);
  let n = 0;
  for (const s of level) {
    const sums = prefixSums(s.values);
    const end = Math.min(s.values.length, cutoff - s.start);
    for (let k = 0; k < options.origins && n < options.rows; k++) {
      const o = end - 1 - k * options.stride;
      const reach = Math.min(options.horizon, end - o);
      const base = o >= 28 ? levelAt(sums, o) : null;
      if (base === null) continue;
      for (let j = 0; j < perOrigin && n < options.rows; j++) {
        const h = 1 + Math.floor(next() * reach);
        writeFeatures(s, sums, o, h, base, x, n * COLUMNS);
        y[n++] = s.values[o + h - 1]! / base;
      }
    }
  }
  return { x: x.subarray(0, n * COLUMNS), y: y.subarray(0, n) };
}

/** A global model trained on every series of a level, on days before `cutoff`; null with too little data. */
export function trainGlobal(level: LevelSeries[], cutoff: number, options: GlobalOptions): Booster | null {
  const { x, y } = trainingSample(level, cutoff, options);
  return y.length < 200 ? null : trainBooster(x, y, COLUMNS, PARAMS, ROUNDS);
}

/**
 * Forecasts of `horizon` days from origin `o` (an index into the series' values) for several series at
 * once (one call into the model); a series with no sales in its last year gets zeros.
 */
export function forecastGlobal(
  booster: Booster,
  asks: { s: LevelSeries; o: number }[],
  horizon: number,
): number[][] {
  const x = new Float32Array(asks.length * horizon * COLUMNS);
  const levels = asks.map(({ s, o }, i) => {
    const sums = prefixSums(s.values);
    const base = o >= 28 ? levelAt(sums, o) : null;
    if (base !== null)
      for (let h = 1; h <= horizon; h++)
        writeFeatures(s, sums, o, h, base, x, (i * horizon + h - 1) * COLUMNS);
    return base;
  });
  const predicted = booster.predict(x);
  return levels.map((base, i) =>
    Array.from({ length: horizon }, (_, h) =>
      base === null ? 0 : Math.max(0, predicted[i * horizon + h]! * base),
    ),
  );
}
