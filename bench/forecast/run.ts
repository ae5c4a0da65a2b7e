import { LEVEL_MODELS } from '../../services/forecaster/src/models/names.js';
import type { SeriesForecast } from '../../services/forecaster/src/domain/pipeline.js';
import { trainLevel } from '../../services/forecaster/src/level-models.js';
import { levelSeries } from '../../services/forecaster/src/domain/level-trials.js';
import { dayNumber } from '../../services/forecaster/src/models/types.js';
import type { Series } from '../../services/forecaster/src/models/types.js';
import type { ForecastPool } from '../../services/forecaster/src/workers/pool.js';
import type { SetSeries } from './sets.js';

export interface RaceOptions {
  horizon: number;
  windows: number;
  models: readonly string[];
  screen?: boolean;
}

/**
 * A set through the forecaster's own code: its level's global models trained in the threads (where the race
 * has the global model), then chunks of 50 series through the race, two per thread, as the trainer does.
 */
export async function forecastSet(
  pool: ForecastPool,
  set: { series: Series; codes: [number, number]; key?: string }[],
  options: RaceOptions,
) {
  const t0 = performance.now();
  const last = Math.max(...set.map((s) => dayNumber(s.series.dates.at(-1)!)));
  const levels = options.models.some((m) => LEVEL_MODELS.includes(m))
    ? await trainLevel(
        pool,
        set.map((s) => levelSeries(s.series, s.codes)),
        last + 1,
        options.horizon,
        options.windows,
      )
    : [];
  const levelSeconds = (performance.now() - t0) / 1000;
  const results: SeriesForecast[] = [];
  const size = Math.max(1, Math.min(50, Math.ceil(set.length / (2 * pool.threads))));
  let next = 0;
  const lane = async () => {
    while (next < set.length) {
      const from = next;
      const chunk = set.slice(from, (next += size));
      const out = await pool.race({ ...options, items: chunk, levels });
      out.forEach((r, i) => (results[from + i] = r));
    }
  };
  await Promise.all(Array.from({ length: 2 * pool.threads }, lane));
  return { results, seconds: (performance.now() - t0) / 1000, levelSeconds };
}

export const H = 90;
/** The last H days held out. */
export const split = (s: SetSeries) => ({
  train: {
    dates: s.series.dates.slice(0, -H),
    values: s.series.values.slice(0, -H),
    ...(s.series.prices ? { prices: s.series.prices.slice(0, -H) } : {}),
  },
  test: s.series.values.slice(-H),
});
