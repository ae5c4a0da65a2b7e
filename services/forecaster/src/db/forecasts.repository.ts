import type { SqliteDatabase } from '@stockpulse/service-kit';
import type { ReorderAdvice } from '../domain/advice.js';
import type { SeriesForecast } from '../domain/pipeline.js';
import { futureDates } from '../models/types.js';

export interface SeriesRow {
  series_id: string;
  store_location: string;
  product_id: string | null;
  category: string;
  model: string | null;
  reason: string | null;
  horizon: number;
  last_date: string | null;
  advice: string | null;
  trained_at: string | null;
  version: number;
  trained_version: number;
}

export interface PointRow {
  date: string;
  value: number;
  lower_80: number;
  upper_80: number;
  lower_95: number;
  upper_95: number;
  actual: number | null;
}

const rounded = (v: number) => Math.round(v * 1000) / 1000;

/** A forecast point as stored, served and published: to a thousandth of a unit. */
export const roundPoint = (p: Omit<PointRow, 'date' | 'actual'>) => ({
  value: rounded(p.value),
  lower_80: rounded(p.lower_80),
  upper_80: rounded(p.upper_80),
  lower_95: rounded(p.lower_95),
  upper_95: rounded(p.upper_95),
});

/** Forecasts, backtests and the choice per series; predictions for past days keep their actual beside them. */
export function createForecastsRepository(db: SqliteDatabase) {
  const savePoint = db.prepare(
    `INSERT OR REPLACE INTO points (series_id, model, date, value, lower_80, upper_80, lower_95, upper_95, actual, generated_at)
     VALUES (@series_id, @model, @date, @value, @lower_80, @upper_80, @lower_95, @upper_95, NULL, @generated_at)`,
  );
  const dropFuture = db.prepare<[string, string]>('DELETE FROM points WHERE series_id = ? AND date > ?');
  // a model screened out this time has no backtest now: its old one goes
  const dropBacktests = db.prepare<[string]>('DELETE FROM backtests WHERE series_id = ?');
  const saveBacktest = db.prepare(
    `INSERT OR REPLACE INTO backtests (series_id, model, mase, wape, bias, rmse, smape, coverage_80, coverage_95,
       windows, window_days, error, trained_at)
     VALUES (@series_id, @model, @mase, @wape, @bias, @rmse, @smape, @coverage_80, @coverage_95, @windows,
       @window_days, @error, @trained_at)`,
  );
  const saveChoice = db.prepare(
    `UPDATE series SET model = @model, reason = @reason, horizon = @horizon, last_date = @last_date, advice = @advice,
       trained_at = @trained_at, trained_version = @version WHERE series_id = @series_id`,
  );
  const actualOf = (range: string) =>
    db.prepare<[{ today: string; recent: string }]>(
      `UPDATE points SET actual = (
         SELECT COALESCE(SUM(d.units_sold), 0) FROM series s JOIN demand d ON d.store_location = s.store_location
           AND d.date = points.date AND (s.product_id IS NULL AND d.category = s.category OR d.product_id = s.product_id)
         WHERE s.series_id = points.series_id)
       WHERE ${range} AND date <= (SELECT MAX(d.date) FROM series s JOIN demand d ON d.store_location = s.store_location
                                   WHERE s.series_id = points.series_id)`,
    );
  const fillRecent = actualOf('date >= @recent AND date < @today');
  const fillOlder = actualOf('date < @recent AND actual IS NULL');

  return {
    /** Stores a new forecast of every model (replacing the old one for future days) and the choice. */
    save(
      row: SeriesRow,
      result: SeriesForecast,
      lastDate: string,
      horizon: number,
      advice: ReorderAdvice | null,
      version: number,
    ) {
      const trainedAt = new Date().toISOString();
      const dates = futureDates(lastDate, horizon);
      dropFuture.run(row.series_id, lastDate);
      dropBacktests.run(row.series_id);
      for (const r of result.results) {
        r.points.forEach((p, i) =>
          savePoint.run({
            series_id: row.series_id,
            model: r.model,
            date: dates[i],
            ...roundPoint(p),
            generated_at: trainedAt,
          }),
        );
        const b = r.backtest;
        saveBacktest.run({
          series_id: row.series_id,
          model: r.model,
          mase: finite(b?.mase),
          wape: finite(b?.wape),
          bias: finite(b?.bias),
          rmse: finite(b?.rmse),
          smape: finite(b?.smape),
          coverage_80: finite(b?.coverage_80),
          coverage_95: finite(b?.coverage_95),
          windows: b?.windows ?? 0,
          window_days: b?.window_days ?? 0,
          error: r.error ?? null,
          trained_at: trainedAt,
        });
      }
      saveChoice.run({
        series_id: row.series_id,
        model: result.chosen,
        reason: result.reason,
        horizon,
        last_date: lastDate,
        advice: advice ? JSON.stringify(advice) : null,
        trained_at: trainedAt,
        version,
      });
      return trainedAt;
    },

    /**
     * Writes the actual demand of past forecast days next to their prediction; returns how many points changed.
     * A day counts once its store has reported it or a later day (a product without sales that day then has
     * an actual of 0); the last `recentDays` are recomputed, so late events still correct them.
     */
    fillActuals(today: string, recentDays = 7): number {
      const recent = new Date(Date.parse(`${today}T00:00:00Z`) - recentDays * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const recomputed = fillRecent.run({ today, recent }).changes;
      return recomputed + fillOlder.run({ today, recent }).changes;
    },

    points(seriesId: string, model: string, from: string, to: string): PointRow[] {
      return db
        .prepare<[string, string, string, string], PointRow>(
          `SELECT date, value, lower_80, upper_80, lower_95, upper_95, actual FROM points
           WHERE series_id = ? AND model = ? AND date > ? AND date <= ? ORDER BY date`,
        )
        .all(seriesId, model, from, to);
    },

    backtests(seriesId: string) {
      return db
        .prepare<[string], Record<string, unknown>>(
          `SELECT model, mase, wape, bias, rmse, smape, coverage_80, coverage_95, windows, window_days, error
           FROM backtests WHERE series_id = ? ORDER BY mase IS NULL, mase`,
        )
        .all(seriesId);
    },
  };
}

export type ForecastsRepository = ReturnType<typeof createForecastsRepository>;

const finite = (v: number | undefined) =>
  v !== undefined && Number.isFinite(v) ? Math.round(v * 10_000) / 10_000 : null;
