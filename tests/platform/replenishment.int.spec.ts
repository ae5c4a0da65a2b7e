import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { partitionOf } from '@stockpulse/contracts';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Platform } from '../support/platform.js';

const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

/**
 * Reorder advice as the forecaster stores it (LEAD_TIME_DAYS 7, REVIEW_DAYS 7: their defaults) for a forecast
 * of 10 a day from today on: reorder point 70 + safety stock, order up to 140 + safety stock.
 */
function advice(onHand: number, safety: number) {
  const projected = Array.from({ length: 14 }, (_, i) => ({ date: day(i), quantity: onHand - 10 * (i + 1) }));
  const reorderPoint = 70 + safety;
  return {
    lead_time_days: 7,
    service_level: 0.95,
    on_hand: onHand,
    safety_stock: safety,
    reorder_point: reorderPoint,
    stockout_date: projected.find((p) => p.quantity <= 0)?.date ?? null,
    suggested_order_qty: onHand <= reorderPoint ? Math.ceil(140 + safety - onHand) : 0,
    projected_stock: projected,
  };
}

const STORES = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'];
/** product, category, on hand, safety stock, price: per store, the store's number shifting stock and price. */
const PRODUCTS = [
  ['P1', 'Books', 30, 5, 2.5],
  ['P_2', 'Books', 100, 0, 4],
  ['=X', 'Toys', 60, 3, 1],
  ['P4', 'Toys', 400, 0, 3],
] as const;

/** Seeds product series with advice (trained, so listed) into a forecaster's store file, for `stores`. */
function seed(file: string, stores: string[]) {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  const series = db.prepare(
    `INSERT INTO series (series_id, store_location, product_id, category, model, horizon, last_date, advice,
       trained_at, version, trained_version) VALUES (?, ?, ?, ?, 'Mean', 14, ?, ?, '2025-01-01T00:00:00Z', 0, 0)`,
  );
  const price = db.prepare(
    `INSERT INTO demand (store_location, product_id, category, date, units_sold, closing_quantity, price)
     VALUES (?, ?, ?, ?, 10, ?, ?)`,
  );
  db.transaction(() => {
    for (const store of stores) {
      const n = Number(store.slice(1));
      for (const [product, category, onHand, safety, unit] of PRODUCTS) {
        const a = advice(onHand + n * 3, safety);
        series.run(`${store}/${product}`, store, product, category, day(-1), JSON.stringify(a));
        price.run(store, product, category, day(-1), a.on_hand, unit + (n % 3) * 0.5);
      }
    }
  })();
  db.close();
}

/**
 * The replenishment list through the gateway with one forecaster and with three replicas (each holding its
 * partition's stores): the same pages in every order asked for, and the same purchase list, byte for byte.
 */
describe('replenishment with PARTITIONS=1 and 3', () => {
  let one: Platform;
  let three: Platform;
  beforeAll(async () => {
    [one, three] = await Promise.all([
      Platform.start(['forecaster', 'gateway'], { FORECAST_THREADS: '1' }),
      Platform.start(['forecaster@0', 'forecaster@1', 'forecaster@2', 'gateway'], {
        PARTITIONS: '3',
        FORECAST_THREADS: '1',
      }),
    ]);
    seed(join(one.dataDir, 'ml_metrics.db'), STORES);
    for (let i = 0; i < 3; i++)
      seed(
        join(three.dataDir, `ml_metrics.partition-${i}.db`),
        STORES.filter((s) => partitionOf(s, 3) === i),
      );
  }, 240_000);
  afterAll(async () => {
    await Promise.all([one?.stop(), three?.stop()]);
  });

  const both = async (query: string) =>
    Promise.all(
      [one, three].map(async (p) => {
        const res = await fetch(`${p.gateway}/api/replenishment${query}`);
        return {
          status: res.status,
          type: res.headers.get('content-type'),
          disposition: res.headers.get('content-disposition'),
          body: await res.text(),
        };
      }),
    );

  it('answers every page of every order the same, whatever the number of replicas', async () => {
    const [whole] = await both('?limit=1000');
    const list = JSON.parse(whole!.body) as { items: Record<string, unknown>[]; total: number };
    // per store: P1 and =X at their reorder point, P_2 running out before the next order could come; P4 fine
    expect(list.total).toBe(18);
    expect(list.items.slice(0, 2).map((i) => [i.store_location, i.product_id, i.order_by])).toEqual([
      ['S1', '=X', day(0)],
      ['S1', 'P1', day(0)],
    ]);
    for (const query of [
      '',
      '?sort=-order_value',
      '?sort=-order_value&limit=4&offset=3',
      '?sort=reason,-quantity_on_hand&limit=5&offset=5',
      '?sort=unit_price,-store_location&limit=7&offset=7',
      '?q=p_&sort=-stockout_date',
      '?category=Toys&sort=-order_quantity&limit=3',
      '?store=S2',
      '?sort=colour',
      '?format=csv',
      '?format=csv&sort=-order_value,product_id&q=s',
      '?format=csv&store=S5&sort=-order_quantity',
    ]) {
      const [n1, n3] = await both(query);
      expect({ query, ...n3 }).toEqual({ query, ...n1 });
      expect(n1!.status).toBe(query === '?sort=colour' ? 400 : 200);
    }
  });

  it('writes the purchase list as CSV, a formula neutralised', async () => {
    const [csv] = await both('?format=csv&store=S1');
    expect(csv!.type).toBe('text/csv; charset=utf-8');
    expect(csv!.disposition).toBe('attachment; filename="replenishment.csv"');
    const lines = csv!.body.split('\r\n');
    expect(lines).toHaveLength(5); // header, three rows, the final line break
    expect(lines[1]).toBe(
      `"S1","'=X","Toys","${day(0)}","80","1.5","120","63","${day(-1)}","73","3","70","7","${day(6)}","reorder_point"`,
    );
  });
});
