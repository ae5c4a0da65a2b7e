import { arima } from './arima.js';
import { ets, mstl, prophet } from './augurs.js';
import { MODEL_NAMES } from './names.js';
import { mean, seasonalNaive, tsb } from './simple.js';
import { randomForest, xgboost } from './trees.js';
import type { Model } from './types.js';

/** Every model by name. The Ensemble is not one: the pipeline builds it from the best three. */
export const MODELS: Record<string, Model> = Object.fromEntries(
  [seasonalNaive, mean, arima, ets, mstl, prophet, xgboost, randomForest, tsb()].map((m) => [m.name, m]),
);

const missing = MODEL_NAMES.filter((name) => !MODELS[name]);
if (missing.length || Object.keys(MODELS).length !== MODEL_NAMES.length) {
  throw new Error(`models/names.ts and the registry disagree (${missing.join(', ') || 'extra models'})`);
}

export { DEFAULT_MODELS, KNOWN_MODELS } from './names.js';
