import { message, type ForecastPayload } from '@stockpulse/contracts';
import type { Outbox, SqliteDatabase } from '@stockpulse/service-kit';
import type { ForecasterConfig } from './config.js';
import type { DemandRepository } from './db/demand.repository.js';
import { roundPoint, type ForecastsRepository, type SeriesRow } from './db/forecasts.repository.js';
import { adviseReorder } from './domain/advice.js';
import type { SeriesForecast } from './domain/pipeline.js';
import { futureDates, type Series } from './models/types.js';

/**
 * A series' new forecast, with reorder advice for a product series: stored, and published on
 * `stockpulse.forecasts`, in one transaction (the outbox).
 */
export function forecastPublisher(
  db: SqliteDatabase,
  outbox: Outbox,
  config: ForecasterConfig,
  demand: DemandRepository,
  forecasts: ForecastsRepository,
) {
  return (row: SeriesRow, series: Series, result: SeriesForecast, horizon: number): void => {
    const version = row.version;
    const lastDate = series.dates.at(-1)!;
    const chosen = result.results.find((r) => r.model === result.chosen)!;
    const dates = futureDates(lastDate, horizon);
    const advice =
      row.product_id === null
        ? null
        : adviseReorder({
            onHand: demand.onHand(row.store_location, row.product_id),
            forecast: chosen.points.map((p) => p.value),
            dates,
            sigma: result.sigma,
            leadTimeDays: config.LEAD_TIME_DAYS,
            serviceLevel: config.SERVICE_LEVEL,
            reviewDays: config.REVIEW_DAYS,
          });
    db.transaction(() => {
      const generatedAt = forecasts.save(row, result, lastDate, horizon, advice, version);
      const payload: ForecastPayload = {
        series_id: row.series_id,
        ...(row.product_id !== null ? { product_id: row.product_id } : {}),
        store_location: row.store_location,
        category: row.category,
        model: result.chosen,
        reason: result.reason,
        generated_at: generatedAt,
        horizon,
        points: chosen.points.map((p, i) => ({ date: dates[i]!, ...roundPoint(p) })),
        ...(advice ? { advice } : {}),
      };
      outbox.enqueue([message('stockpulse.forecasts', payload, { producer: 'forecaster' })]);
    })();
  };
}
