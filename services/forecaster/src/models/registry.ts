import { arima } from './arima.js';
import { ets, mstl, prophet } from './augurs.js';
import { LEVEL_MODELS, MODEL_NAMES } from './names.js';
import { adida, croston, mean, seasonalNaive, tsb } from './simple.js';
import { randomForest, xgboost } from './trees.js';
import type { Model } from './types.js';

/**
 * Every per-series model by name. Not here: the Ensemble (the pipeline builds it from the finalists) and the
 * level models (trained across series: models/global).
 */
export const MODELS: Record<string, Model> = Object.fromEntries(
  [seasonalNaive, mean, arima, ets, mstl, prophet, xgboost, randomForest, tsb(), croston(), adida()].map(
    (m) => [m.name, m],
  ),
);

const missing = MODEL_NAMES.filter((name) => !MODELS[name] && !LEVEL_MODELS.includes(name));
if (missing.length || Object.keys(MODELS).length + LEVEL_MODELS.length !== MODEL_NAMES.length) {
  throw new Error(`models/names.ts and the registry disagree (${missing.join(', ') || 'extra models'})`);
}

export { DEFAULT_MODELS, INTERMITTENT_MODELS, KNOWN_MODELS, LEVEL_MODELS } from './names.js';
