/**
 * A forecasting thread (piscina): the automatic pipeline of a chunk of series, and the training of the
 * global models, off the main thread so the service keeps answering and both cores work. The models' WASM
 * is initialised once per thread.
 */
import { COSTLY_SHARE, forecastChunk, type SeriesForecast } from '../domain/pipeline.js';
import { loadBooster } from '../models/booster.js';
import { COLUMNS, type LevelSeries } from '../models/global/features.js';
import { levelTrials } from '../domain/level-trials.js';
import { trainProfile, type Profile } from '../models/global/profile.js';
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

/** A level's models as they travel between threads: XGBoost's bytes and the seasonal profile. */
export interface SavedLevel {
  cutoff: number;
  booster: Uint8Array | null;
  profile: Profile | null;
}

export interface RaceTask {
  /** `key`: the series' own (its store, category and product), for its lot of the costly fits. */
  items: { series: Series; codes: readonly [number, number]; key?: string }[];
  horizon: number;
  windows: number;
  /** The race's models; the level ones (Global, Profile) forecast with `levels` (none: too little data). */
  models: readonly string[];
  levels: SavedLevel[];
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
  const fits = task.levels.map((l) => ({
    cutoff: l.cutoff,
    booster: l.booster ? loadBooster(l.booster, COLUMNS) : null,
    profile: l.profile,
  }));
  try {
    const given = levelTrials(fits, task.items, task.windows, task.horizon, task.models);
    return forecastChunk(
      task.items.map(({ series, key }, i) => ({ series, given: given[i]!, ...(key ? { key } : {}) })),
      {
        horizon: task.horizon,
        windows: task.windows,
        models,
        ...(task.screen === false ? { screen: false } : {}),
      },
      task.costlyShare ?? COSTLY_SHARE,
    );
  } finally {
    fits.forEach((f) => f.booster?.free());
  }
}

/** Trains a level's models on the days before `cutoff`; null where there is too little data for either. */
export function train(task: TrainTask): SavedLevel | null {
  const profile = trainProfile(task.level, task.cutoff);
  const booster = trainGlobal(task.level, task.cutoff, { ...GLOBAL_DEFAULTS, horizon: task.horizon });
  try {
    return booster || profile ? { cutoff: task.cutoff, booster: booster?.save() ?? null, profile } : null;
  } finally {
    booster?.free();
  }
}
