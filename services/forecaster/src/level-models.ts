import type { SqliteDatabase } from '@stockpulse/service-kit';
import type { DemandRepository } from './db/demand.repository.js';
import type { SeriesRow } from './db/forecasts.repository.js';
import type { LevelSeries } from './models/global/features.js';
import { levelSeries } from './domain/level-trials.js';
import { tail } from './models/types.js';
import type { SavedLevel } from './workers/forecast.worker.js';
import type { ForecastPool } from './workers/pool.js';

export type Level = 'product' | 'category';
export const levelOf = (row: { product_id: string | null }): Level =>
  row.product_id === null ? 'category' : 'product';

/** The level models (Global, Profile) of one level and horizon, trained on the complete days before `today`. */
export interface LevelModel {
  today: string;
  fits: SavedLevel[];
  /** Store and category as the trees know them (their rank among the level's); −1 for one unseen then. */
  codes(row: { store_location: string; category: string }): [number, number];
}

/**
 * The level models, per level (product × store, category × store) and horizon: trained once a day on every
 * series of the level (one fit per backtest origin, and one on everything), in the forecasting threads, and
 * kept until the next day completes. A series that changes during the day is forecast again with them:
 * only what new data changed is retrained.
 */
export class LevelModels {
  private readonly cache = new Map<string, Promise<LevelModel>>();
  /** Level fits trained since the start (one per cutoff: trees and profile). */
  trainings = 0;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly demand: DemandRepository,
    private readonly pool: ForecastPool,
    private readonly historyDays: number,
    private readonly windows: number,
  ) {}

  /** The day's fits of a level and horizon; `refit`: new ones from the data as it is now (a job asked for). */
  async get(level: Level, horizon: number, today: string, refit = false): Promise<LevelModel> {
    const key = `${level}/${horizon}`;
    const cached = this.cache.get(key);
    if (!refit && cached && (await cached.catch(() => null))?.today === today) return cached;
    const fresh = this.train(level, horizon, today);
    this.cache.set(key, fresh);
    return fresh;
  }

  private async train(level: Level, horizon: number, today: string): Promise<LevelModel> {
    const rows = this.db
      .prepare<[], SeriesRow>(
        `SELECT * FROM series WHERE product_id IS ${level === 'product' ? 'NOT' : ''} NULL ORDER BY series_id`,
      )
      .all();
    const rank = (values: string[]) => new Map([...new Set(values)].sort().map((v, i) => [v, i]));
    const stores = rank(rows.map((r) => r.store_location));
    const categories = rank(rows.map((r) => r.category));
    const codes = (row: { store_location: string; category: string }): [number, number] => [
      stores.get(row.store_location) ?? -1,
      categories.get(row.category) ?? -1,
    ];
    const series: LevelSeries[] = [];
    for (const [i, row] of rows.entries()) {
      series.push(levelSeries(tail(this.demand.series(row, today), this.historyDays), codes(row)));
      // reading a large catalogue takes seconds: the event loop gets a turn every 50 series
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    // the level's days end with its latest complete day (a history loaded years later ends long before today)
    const end = Math.max(...series.map((s) => s.start + s.values.length));
    const fits = series.length ? await trainLevel(this.pool, series, end, horizon, this.windows) : [];
    this.trainings += this.windows + 1;
    return { today, fits, codes };
  }
}

/**
 * The level models of a level whose complete days end before day `end`: one fit per standard backtest origin
 * (`horizon` days apart) and one on everything, trained in parallel in the forecasting threads.
 */
export async function trainLevel(
  pool: ForecastPool,
  level: LevelSeries[],
  end: number,
  horizon: number,
  windows: number,
): Promise<SavedLevel[]> {
  const cutoffs = [...Array.from({ length: windows }, (_, k) => end - (windows - k) * horizon), end];
  const trained = await Promise.all(cutoffs.map((cutoff) => pool.train({ level, cutoff, horizon })));
  return trained.filter((b) => b !== null);
}
