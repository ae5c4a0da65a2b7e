import { RandomForestRegression } from 'ml-random-forest';
import { createRequire } from 'node:module';
import { calendarFeatures } from './calendar.js';
import { futureDates, tail, type Model, type Series } from './types.js';

interface Booster {
  train(x: number[][], y: number[]): void;
  predict(x: number[][]): number[];
  free(): void;
}
type BoosterConstructor = new (options: Record<string, unknown>) => Booster;

// ml-xgboost (XGBoost compiled to WASM) resolves to its class once its module has loaded. Its loader warns
// twice that fetch() cannot read a file path, then reads the file: harmless, so those two lines are dropped.
const XGBoost = await withoutWarnings(
  /wasm streaming compile failed|falling back to ArrayBuffer/,
  () => createRequire(import.meta.url)('ml-xgboost') as Promise<BoosterConstructor>,
);

async function withoutWarnings<T>(noise: RegExp, load: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void (noise.test(String(args[0])) || warn(...args));
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}

/** Training rows: calendar features of each day, and log(1 + demand) as the target. */
function dataset(series: Series) {
  const origin = Date.parse(`${series.dates[0]}T00:00:00Z`);
  return {
    origin,
    x: series.dates.map((d) => calendarFeatures(d, origin)),
    y: series.values.map((v) => Math.log1p(Math.max(0, v))),
  };
}

const future = (series: Series, origin: number, h: number) =>
  futureDates(series.dates.at(-1)!, h).map((d) => calendarFeatures(d, origin));

/**
 * Gradient-boosted trees (XGBoost, as the original system used) on calendar features, predicting
 * log(1 + demand): weekday × season effects come out multiplicative, and every horizon is forecast directly
 * (no recursion on its own forecasts).
 */
export const xgboost: Model = {
  name: 'XGBoost',
  minLength: 28,
  fit(full) {
    const series = tail(full, 1095);
    const { origin, x, y } = dataset(series);
    const booster = new XGBoost({
      booster: 'gbtree',
      objective: 'reg:linear',
      max_depth: 4,
      eta: 0.1,
      subsample: 0.8,
      colsample_bytree: 1,
      silent: 1,
      iterations: 120,
    });
    try {
      booster.train(x, y);
    } catch (err) {
      booster.free();
      throw err;
    }
    return {
      predict: (h) => {
        try {
          return booster.predict(future(series, origin, h)).map((v) => Math.max(0, Math.expm1(v)));
        } finally {
          booster.free();
        }
      },
    };
  },
};

/**
 * A random forest (ml-random-forest) on the same features. Seeded. Out of the automatic race by default:
 * 10 trees of depth 8 on two years take about 400 ms here (4× Prophet, 10× XGBoost) and do no better than
 * boosting on the same features; FORECASTER_MODELS can put it back.
 */
export const randomForest: Model = {
  name: 'RandomForest',
  minLength: 28,
  fit(full) {
    const series = tail(full, 730);
    const { origin, x, y } = dataset(series);
    const forest = new RandomForestRegression({
      nEstimators: 10,
      maxFeatures: 0.8,
      replacement: true,
      seed: 7,
      noOOB: true,
      treeOptions: { maxDepth: 8, minNumSamples: 5 },
    });
    forest.train(x, y);
    return {
      predict: (h) =>
        forest.predict(future(series, origin, h)).map((v: number) => Math.max(0, Math.expm1(v))),
    };
  },
};
