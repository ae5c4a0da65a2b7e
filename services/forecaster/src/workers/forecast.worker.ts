/**
 * A forecasting thread (piscina): the automatic pipeline of a chunk of series, and the training of the
 * global models, off the main thread so the service keeps answering and both cores work. The models' WASM
 * is initialised once per thread.
 */
import { COSTLY_SHARE, forecastChunk, type SeriesForecast } from '../domain/pipeline.js';
import { loadBooster } from '../models/booster.js';
import { COLUMNS, type LevelSeries } from '../models/global/features.js';
import { globalTrials } from '../models/global/given.js';
import { GLOBAL_DEFAULTS, trainGlobal } from '../models/global/global.js';
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

/** A global model as it travels between threads: XGBoost's bytes. */
export interface SavedBooster {
  cutoff: number;
  bytes: Uint8Array;
}

export interface RaceTask {
  items: { series: Series; codes: readonly [number, number] }[];
  horizon: number;
  windows: number;
  /** The race's models; the global one forecasts with `boosters` (none: too little data to train one). */
  models: readonly string[];
  boosters: SavedBooster[];
  /** Share of the chunk's series that may get the costly fits (default COSTLY_SHARE). */
  costlyShare?: number;
  screen?: boolean;
}

export interface TrainTask {
  level: LevelSeries[];
  cutoff: number;
  horizon: number;
}

export default function race(task: RaceTask): SeriesForecast[] {
  const models = task.models.map((name) => MODELS[name]).filter((m) => m !== undefined);
  const boosters = task.boosters.map((b) => ({ cutoff: b.cutoff, booster: loadBooster(b.bytes, COLUMNS) }));
  try {
    const given = task.models.includes('Global')
      ? globalTrials(boosters, task.items, task.windows, task.horizon)
      : [];
    return forecastChunk(
      task.items.map(({ series }, i) => ({ series, given: given[i] ? [given[i]] : [] })),
      {
        horizon: task.horizon,
        windows: task.windows,
        models,
        ...(task.screen === false ? { screen: false } : {}),
      },
      task.costlyShare ?? COSTLY_SHARE,
    );
  } finally {
    boosters.forEach((b) => b.booster.free());
  }
}

/** Trains the global model of a level on the days before `cutoff`; null where there is too little data. */
export function train(task: TrainTask): SavedBooster | null {
  const booster = trainGlobal(task.level, task.cutoff, { ...GLOBAL_DEFAULTS, horizon: task.horizon });
  if (!booster) return null;
  try {
    return { cutoff: task.cutoff, bytes: booster.save() };
  } finally {
    booster.free();
  }
}
