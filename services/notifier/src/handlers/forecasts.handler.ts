import type { Delivery } from '@stockpulse/bus';
import type { Envelope } from '@stockpulse/contracts';
import type { Inbox, SqliteDatabase } from '@stockpulse/service-kit';
import { fromForecast } from '../domain/signals.js';
import type { StockSignals } from '../stock-signals.js';

/**
 * Each product forecast: kept for explanations, and its stock signals held while they hold and released
 * when they stop (so a stock-out risk that comes back notifies again, once per crossing; StockSignals says
 * when a condition notifies and how it is grouped).
 */
export function forecastsHandler(
  inbox: Inbox,
  db: SqliteDatabase,
  signals: StockSignals,
  withinDays: number,
) {
  const keep = db.prepare(
    'INSERT OR REPLACE INTO forecasts (store_location, product_id, payload) VALUES (?, ?, ?)',
  );
  return (deliveries: Delivery<Envelope<'stockpulse.forecasts'>>[]): void => {
    inbox.handleBatch(deliveries, (fresh) => {
      for (const { envelope } of fresh) {
        const f = envelope.payload;
        if (!f.product_id) continue;
        keep.run(f.store_location, f.product_id, JSON.stringify(f));
        const { raise, clear } = fromForecast(f, withinDays);
        for (const cause of clear) signals.release(cause);
        for (const signal of raise) signals.hold(signal);
      }
    });
  };
}
