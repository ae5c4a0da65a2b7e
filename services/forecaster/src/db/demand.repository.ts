import type { DailyDemand } from '@stockpulse/contracts';
import type { SqliteDatabase } from '@stockpulse/service-kit';
import type { Series } from '../models/types.js';
import { dateOf, dayNumber } from '../models/types.js';

export const productSeriesId = (store: string, product: string) => `${store}/${product}`;
export const categorySeriesId = (store: string, category: string) => `${store}/category:${category}`;

/**
 * Daily demand as the processor reports it (a day's figure replaces the previous one for that day), and
 * the series built from it. Every change to a day marks its product series and its category series as
 * changed (their `version` moves on), for the trainer.
 */
export function createDemandRepository(db: SqliteDatabase) {
  const upsert = db.prepare(
    `INSERT INTO demand (store_location, product_id, category, date, units_sold, closing_quantity, price)
     VALUES (@store, @product, @category, @date, @units, @closing, @price)
     ON CONFLICT DO UPDATE SET category = excluded.category, units_sold = excluded.units_sold,
       closing_quantity = excluded.closing_quantity, price = excluded.price`,
  );
  const touch = db.prepare(
    `INSERT INTO series (series_id, store_location, product_id, category, horizon, version)
     VALUES (@id, @store, @product, @category, @horizon, @change)
     ON CONFLICT DO UPDATE SET version = version + excluded.version`,
  );
  // rows as arrays (no object per row): a series of four years is 1,461 of them
  type Day = [date: string, units: number, price: number | null];
  const productDays = db
    .prepare<[string, string, string], Day>(
      `SELECT date, units_sold, price FROM demand WHERE store_location = ? AND product_id = ? AND date < ?
       ORDER BY date`,
    )
    .raw(true);
  const categoryDays = db
    .prepare<[string, string, string], Day>(
      `SELECT date, SUM(units_sold), AVG(price) FROM demand WHERE store_location = ? AND category = ? AND date < ?
       GROUP BY date ORDER BY date`,
    )
    .raw(true);
  const onHand = db.prepare<[string, string], { closing_quantity: number }>(
    `SELECT closing_quantity FROM demand WHERE store_location = ? AND product_id = ? AND closing_quantity IS NOT NULL
     ORDER BY date DESC LIMIT 1`,
  );

  return {
    /** Records a store's day; marks its series changed when the day is complete. Call inside a transaction. */
    record(payload: DailyDemand, horizon: number, complete: boolean): void {
      const { store_location: store, date } = payload;
      const categories = new Set<string>();
      for (const p of payload.products) {
        upsert.run({
          store,
          product: p.product_id,
          category: p.category,
          date,
          units: p.units_sold,
          closing: p.closing_quantity ?? null,
          price: p.price ?? null,
        });
        touch.run({
          id: productSeriesId(store, p.product_id),
          store,
          product: p.product_id,
          category: p.category,
          horizon,
          change: complete ? 1 : 0,
        });
        categories.add(p.category);
      }
      for (const category of categories) {
        touch.run({
          id: categorySeriesId(store, category),
          store,
          product: null,
          category,
          horizon,
          change: complete ? 1 : 0,
        });
      }
    },

    /**
     * The complete days of a series (before `today`), one value per day from its first day: a day without a
     * report is a day without sales (and an unknown price).
     */
    series(
      row: { store_location: string; product_id: string | null; category: string },
      today: string,
    ): Series {
      const days =
        row.product_id === null
          ? categoryDays.all(row.store_location, row.category, today)
          : productDays.all(row.store_location, row.product_id, today);
      if (!days.length) return { dates: [], values: [] };
      const first = dayNumber(days[0]![0]);
      const n = dayNumber(days.at(-1)![0]) - first + 1;
      const values = Array<number>(n).fill(0);
      const prices = Array<number | null>(n).fill(null);
      for (const [date, units, price] of days) {
        const i = dayNumber(date) - first;
        values[i] = units;
        prices[i] = price;
      }
      return { dates: Array.from({ length: n }, (_, i) => dateOf(first + i)), values, prices };
    },

    onHand: (store: string, product: string) => onHand.get(store, product)?.closing_quantity ?? null,
  };
}

export type DemandRepository = ReturnType<typeof createDemandRepository>;
