import { RandomForestRegression } from 'ml-random-forest';
import { trainBooster } from './booster.js';
import { calendarFeatures } from './calendar.js';
import { futureDates, tail, type Model, type Series } from './types.js';

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
    const columns = x[0]!.length;
    const booster = trainBooster(
      Float32Array.from(x.flat()),
      Float32Array.from(y),
      columns,
      { booster: 'gbtree', objective: 'reg:linear', max_depth: 4, eta: 0.1, subsample: 0.8, seed: 7 },
      120,
    );
    return {
      predict: (h) => {
        try {
          const rows = Float32Array.from(future(series, origin, h).flat());
          return [...booster.predict(rows)].map((v) => Math.max(0, Math.expm1(v)));
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
