/**
 * A forecasting thread (piscina): the whole automatic pipeline of one series, off the main thread so the
 * service keeps answering and both cores work. The models' WASM is initialised once per thread.
 */
import { forecastSeries, type SeriesForecast } from '../domain/pipeline.js';
import { MODELS } from '../models/registry.js';
import type { Series } from '../models/types.js';

export interface ForecastTask {
  series: Series;
  horizon: number;
  windows: number;
  models: readonly string[];
}

export default function run(task: ForecastTask): SeriesForecast {
  const models = task.models.map((name) => MODELS[name]).filter((m) => m !== undefined);
  return forecastSeries(task.series, { horizon: task.horizon, windows: task.windows, models });
}
