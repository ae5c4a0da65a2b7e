/**
 * A forecasting thread (piscina): the whole automatic pipeline of one series, off the main thread so the
 * service keeps answering and both cores work. The models' WASM is initialised once per thread.
 */
import { forecastSeries, type SeriesForecast } from '../domain/pipeline.js';
import { MODELS } from '../models/registry.js';
import type { Series } from '../models/types.js';
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';

const { nice } = (workerData ?? {}) as { nice?: number };
// this thread only (Linux priorities are per thread); where it is not allowed, the thread runs as it is
if (nice) {
  try {
    setPriority(nice);
  } catch {
    // not permitted here: training then competes as an equal
  }
}

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
