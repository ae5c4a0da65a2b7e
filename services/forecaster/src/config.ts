import { Port, serviceEnv } from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';
import { COSTLY_SHARE } from './domain/pipeline.js';
import { DEFAULT_MODELS } from './models/names.js';

export const ForecasterConfig = serviceEnv({
  FORECASTER_PORT: Port(3003),
  /** Days forecast by default; up to FORECAST_MAX_HORIZON on request. */
  FORECAST_HORIZON: Type.Integer({ minimum: 1, maximum: 90, default: 14 }),
  FORECAST_MAX_HORIZON: Type.Integer({ minimum: 1, maximum: 90, default: 90 }),
  /**
   * Days of history trained on, the most recent (older days are kept, not fitted): the level models learn
   * from all of them (Global: MASE 0.712 on store-item-demand with four years, 0.733 with two), each
   * per-series model from its own most recent one to three years.
   */
  FORECAST_HISTORY_DAYS: Type.Integer({ minimum: 60, maximum: 3650, default: 1461 }),
  BACKTEST_WINDOWS: Type.Integer({ minimum: 3, maximum: 10, default: 3 }),
  /** Models in the automatic race, comma-separated (RandomForest may be added); unknown names stop the start. */
  FORECASTER_MODELS: Type.String({
    default: DEFAULT_MODELS.join(','),
    pattern: '^[A-Za-z]+(,[A-Za-z]+)*$',
  }),
  /**
   * Share of the series of a training chunk (50) that may get the costly per-series fits (ARIMA, ETS, MSTL,
   * Prophet, XGBoost), where the screen lets them in and the cheap and level models did worst (0–1).
   */
  FORECAST_COSTLY_SHARE: Type.Number({ minimum: 0, maximum: 1, default: COSTLY_SHARE }),
  /** How often series whose data changed are retrained. */
  FORECAST_INTERVAL_MS: Type.Integer({ minimum: 100, maximum: 86_400_000, default: 30_000 }),
  FORECAST_THREADS: Type.Integer({ minimum: 1, maximum: 16, default: 2 }),
  /** Scheduling priority of the training threads (0–19, higher yields more): batch work gives way to the pipeline. */
  FORECAST_NICE: Type.Integer({ minimum: 0, maximum: 19, default: 10 }),
  LEAD_TIME_DAYS: Type.Integer({ minimum: 0, maximum: 365, default: 7 }),
  SERVICE_LEVEL: Type.Number({ exclusiveMinimum: 0.5, exclusiveMaximum: 1, default: 0.95 }),
  REVIEW_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 7 }),
});
export type ForecasterConfig = Static<typeof ForecasterConfig>;
