import { arima } from './arima.js';
import { ets, mstl, prophet } from './augurs.js';
import { mean, seasonalNaive, tsb } from './simple.js';
import { randomForest, xgboost } from './trees.js';
import type { Model } from './types.js';

/** Every model by name. The Ensemble is not one: the pipeline builds it from the best three. */
export const MODELS: Record<string, Model> = Object.fromEntries(
  [seasonalNaive, mean, arima, ets, mstl, prophet, xgboost, randomForest, tsb()].map((m) => [m.name, m]),
);

/** The automatic race by default: every family but the random forest (see trees.ts for why). */
export const DEFAULT_MODELS = ['SeasonalNaive', 'Mean', 'ARIMA', 'ETS', 'MSTL', 'Prophet', 'XGBoost', 'TSB'];

export const KNOWN_MODELS = [...Object.keys(MODELS), 'Ensemble'];
