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
  'Croston',
  'ADIDA',
  'Global',
  'Profile',
] as const;

/** Trained once across every series of a level (product × store, or category × store), not per series. */
export const LEVEL_MODELS: readonly string[] = ['Global', 'Profile'];

/** The race of an intermittent series (Syntetos–Boylan: sales on fewer than three days in four). */
export const INTERMITTENT_MODELS: readonly string[] = ['SeasonalNaive', 'Mean', 'TSB', 'Croston', 'ADIDA'];
/** Models for intermittent demand only (the baselines and TSB race every series). */
export const INTERMITTENT_ONLY: readonly string[] = ['Croston', 'ADIDA'];

/** The automatic race by default: every model but the random forest (see trees.ts for why). */
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
