import type { Delivery } from '@stockpulse/bus';
import type { Envelope } from '@stockpulse/contracts';
import type { Inbox, SqliteDatabase } from '@stockpulse/service-kit';

/** Each product forecast replaces the previous one from its first day on; category forecasts are not used. */
export function forecastsHandler(inbox: Inbox, db: SqliteDatabase) {
  const drop = db.prepare(
    'DELETE FROM forecast_points WHERE store_location = ? AND product_id = ? AND date >= ?',
  );
  const save = db.prepare(
    `INSERT OR REPLACE INTO forecast_points (store_location, product_id, date, value, lower_95, upper_95)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  return (deliveries: Delivery<Envelope<'stockpulse.forecasts'>>[]): void => {
    inbox.handleBatch(deliveries, (fresh) => {
      for (const { envelope } of fresh) {
        const f = envelope.payload;
        if (!f.product_id || !f.points.length) continue;
        drop.run(f.store_location, f.product_id, f.points[0]!.date);
        for (const p of f.points)
          save.run(f.store_location, f.product_id, p.date, p.value, p.lower_95, p.upper_95);
      }
    });
  };
}
