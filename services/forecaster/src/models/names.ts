/**
 * Model names, without loading the models (the main thread validates configuration and queries with these;
 * only the forecasting threads import the models themselves). registry.ts checks the two agree.
 */
export const MODEL_NAMES = [
  'SeasonalNaive',
  'Mean',
  'ARIMA',
  'ETS',
  'MSTL',
  'Prophet',
  'XGBoost',
  'RandomForest',
  'TSB',
] as const;

/** The automatic race by default: every family but the random forest (see trees.ts for why). */
export const DEFAULT_MODELS: readonly string[] = MODEL_NAMES.filter((name) => name !== 'RandomForest');

/** What a forecast can be made by: a model, or the median of the best three. */
export const KNOWN_MODELS: readonly string[] = [...MODEL_NAMES, 'Ensemble'];

/** The models of a FORECASTER_MODELS value; throws naming the unknown ones and the known ones. */
export function parseModelList(list: string): string[] {
  const names = list.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(MODEL_NAMES as readonly string[]).includes(name));
  if (unknown.length) {
    throw new Error(
      `FORECASTER_MODELS: unknown model ${unknown.join(', ')}; the models are ${MODEL_NAMES.join(', ')}`,
    );
  }
  return [...new Set(names)];
}
