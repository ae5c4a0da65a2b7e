import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '@stockpulse/service-kit';
import { buildTestApp, type TestApp } from '@stockpulse/service-kit/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, migrations } from '../src/app.js';
import { ForecasterConfig } from '../src/config.js';
import { adviseReorder } from '../src/domain/advice.js';
import { addDays } from '../src/domain/replenishment.js';
import { createForecastPool } from '../src/workers/pool.js';

const TODAY = '2025-03-01';
const config = loadConfig(ForecasterConfig, { LEAD_TIME_DAYS: '4', REVIEW_DAYS: '7', FORECAST_THREADS: '1' });

/** Product series: store, product, category, stock on hand, σ, latest price; each forecast 10 a day for 14 days. */
const SERIES = [
  ['NYC', 'P1', 'Books', 35, 4, 2.5], // at the reorder point (53.15): 89, out 03-04
  ['NYC', 'P2-50%', 'Toys', 100, 0, 4], // above it (40), out 03-10 < 03-12: 10, by 03-06
  ['LA', 'P1', 'Books', 20, 0, 2], // at it: 90, out 03-02
  ['LA', '=SUM(A1)', 'Tools', 30, 0, null], // at it: 80, out 03-03, no price known
  ['LA', 'P4', 'Food', 500, 0, 1], // plenty: no order
  ['NYC', 'P5', 'Books', null, 0, 1], // stock never reported: no order
  ['NYC', 'P_6', 'Books', 70, 0, 1.25], // above it, out 03-07: 40, by 03-03
] as const;

describe('forecaster lists: forecasts and replenishment, sorted and searched', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stockpulse-forecaster-lists-'));
  const pool = createForecastPool(1);
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp((deps) => buildApp({ ...deps, pool, today: () => TODAY }, config), {
      name: 'forecaster',
      migrations,
      storeFile: join(dir, 'ml_metrics.db'),
    });
    const series = t.db!.prepare(
      `INSERT INTO series (series_id, store_location, product_id, category, model, horizon, last_date, advice,
         trained_at, version, trained_version) VALUES (?, ?, ?, ?, 'Mean', 14, '2025-02-28', ?, '2025-03-01T01:00:00Z', 0, 0)`,
    );
    const price = t.db!.prepare(
      `INSERT INTO demand (store_location, product_id, category, date, units_sold, closing_quantity, price)
       VALUES (?, ?, ?, ?, 10, ?, ?)`,
    );
    for (const [store, product, category, onHand, sigma, unitPrice] of SERIES) {
      const forecast = Array<number>(14).fill(10);
      const advice = adviseReorder({
        onHand,
        forecast,
        dates: forecast.map((_, i) => addDays(TODAY, i)),
        sigma,
        leadTimeDays: 4,
        serviceLevel: 0.95,
        reviewDays: 7,
      });
      series.run(`${store}/${product}`, store, product, category, JSON.stringify(advice));
      // the latest price known is the one listed (a day without one is skipped)
      price.run(store, product, category, '2025-02-20', onHand, unitPrice === null ? null : 99);
      price.run(store, product, category, '2025-02-27', onHand, unitPrice);
      price.run(store, product, category, '2025-02-28', onHand, null);
    }
    series.run('NYC/category:Books', 'NYC', null, 'Books', null);
    // an untrained series (another replica's) is not listed
    t.db!.prepare(
      `INSERT INTO series (series_id, store_location, product_id, category, horizon, advice) VALUES ('SF/P9', 'SF', 'P9', 'Books', 14, ?)`,
    ).run(t.db!.prepare("SELECT advice FROM series WHERE series_id = 'LA/P1'").pluck().get());
  });
  afterAll(async () => {
    await t.close();
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string) => t.app.inject({ url });
  const keys = async (url: string) => {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    return res
      .json<{ items: Record<string, unknown>[] }>()
      .items.map((i) => `${String(i.store_location)}/${(i.product_id as string | undefined) ?? '-'}`);
  };

  it('lists a row per product × store that needs an order, soonest order first, with what and by when', async () => {
    const res = await get('/api/replenishment');
    expect(res.json()).toEqual({
      items: [
        expect.objectContaining({ store_location: 'LA', product_id: '=SUM(A1)', order_quantity: 80 }),
        {
          store_location: 'LA',
          product_id: 'P1',
          category: 'Books',
          reason: 'reorder_point',
          order_by: TODAY,
          order_quantity: 90,
          unit_price: 2,
          order_value: 180,
          quantity_on_hand: 20,
          stock_as_of: '2025-02-28',
          reorder_point: 40,
          safety_stock: 0,
          lead_time_demand: 40,
          lead_time_days: 4,
          stockout_date: '2025-03-02',
        },
        expect.objectContaining({
          store_location: 'NYC',
          product_id: 'P1',
          order_quantity: 89,
          order_value: 222.5,
        }),
        expect.objectContaining({
          product_id: 'P_6',
          reason: 'stockout',
          order_by: '2025-03-03',
          order_quantity: 40,
        }),
        expect.objectContaining({ product_id: 'P2-50%', order_by: '2025-03-06', order_value: 40 }),
      ],
      total: 5,
    });
  });

  it('sorts by any of its columns (the default order breaking ties), filters, searches and pages', async () => {
    expect(await keys('/api/replenishment?sort=-order_value')).toEqual([
      'NYC/P1',
      'LA/P1',
      'NYC/P_6',
      'NYC/P2-50%',
      'LA/=SUM(A1)',
    ]);
    expect(await keys('/api/replenishment?sort=-reason')).toEqual([
      'NYC/P_6',
      'NYC/P2-50%',
      'LA/=SUM(A1)',
      'LA/P1',
      'NYC/P1',
    ]);
    const pages = [
      ...(await keys('/api/replenishment?sort=lead_time_days&limit=2')),
      ...(await keys('/api/replenishment?sort=lead_time_days&limit=2&offset=2')),
      ...(await keys('/api/replenishment?sort=lead_time_days&limit=2&offset=4')),
    ];
    expect(pages).toEqual(await keys('/api/replenishment'));
    expect(await keys('/api/replenishment?store=NYC')).toEqual(['NYC/P1', 'NYC/P_6', 'NYC/P2-50%']);
    expect(await keys('/api/replenishment?category=Books&sort=-quantity_on_hand')).toEqual([
      'NYC/P_6',
      'NYC/P1',
      'LA/P1',
    ]);
    expect(await keys('/api/replenishment?q=p_')).toEqual(['NYC/P_6']);
    expect(await keys('/api/replenishment?q=50%25')).toEqual(['NYC/P2-50%']);
    expect(await keys('/api/replenishment?q=TOYS')).toEqual(['NYC/P2-50%']);
    expect((await get('/api/replenishment?q=nyc&limit=1')).json()).toMatchObject({ total: 3 });
  });

  it('writes the whole filtered, sorted list as a CSV purchase list, formulas neutralised', async () => {
    const res = await get('/api/replenishment?format=csv&store=LA&sort=-order_quantity&limit=1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="replenishment.csv"');
    expect(res.body).toBe(
      [
        '"store_location","product_id","category","order_by","order_quantity","unit_price","order_value",' +
          '"quantity_on_hand","stock_as_of","reorder_point","safety_stock","lead_time_demand","lead_time_days",' +
          '"stockout_date","reason"',
        '"LA","P1","Books","2025-03-01","90","2","180","20","2025-02-28","40","0","40","4","2025-03-02","reorder_point"',
        `"LA","'=SUM(A1)","Tools","2025-03-01","80","","","30","2025-02-28","40","0","40","4","2025-03-03","reorder_point"`,
        '',
      ].join('\r\n'),
    );
  });

  it('refuses an unknown sort column, an unknown format and an overlong search, naming the parameter', async () => {
    const bad = await get('/api/replenishment?sort=price');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toEqual({
      field: 'querystring.sort',
      message:
        "cannot sort by 'price'; sortable columns: store_location, product_id, category, order_by, order_quantity, " +
        'unit_price, order_value, quantity_on_hand, stock_as_of, reorder_point, safety_stock, lead_time_demand, ' +
        'lead_time_days, stockout_date, reason',
    });
    expect((await get('/api/replenishment?format=xml')).json().error.details).toEqual([
      { field: 'querystring.format', message: 'must be one of json, csv' },
    ]);
    expect((await get(`/api/replenishment?q=${'x'.repeat(129)}`)).json().error.details).toEqual([
      { field: 'querystring.q', message: 'must NOT have more than 128 characters' },
    ]);
  });

  it('sorts and searches the forecasts, by the series and by their advice', async () => {
    expect(await keys('/api/forecasts')).toEqual([
      'LA/P1',
      'LA/P4',
      'LA/=SUM(A1)',
      'NYC/-',
      'NYC/P1',
      'NYC/P5',
      'NYC/P_6',
      'NYC/P2-50%',
    ]);
    // ties at 40 by store, category, product; a category series has no advice: last descending
    expect(await keys('/api/forecasts?sort=-reorder_point')).toEqual([
      'NYC/P1',
      'LA/P1',
      'LA/P4',
      'LA/=SUM(A1)',
      'NYC/P5',
      'NYC/P_6',
      'NYC/P2-50%',
      'NYC/-',
    ]);
    expect(await keys('/api/forecasts?sort=stockout_date')).toEqual([
      'LA/P4',
      'NYC/-',
      'NYC/P5',
      'LA/P1',
      'LA/=SUM(A1)',
      'NYC/P1',
      'NYC/P_6',
      'NYC/P2-50%',
    ]);
    expect(await keys('/api/forecasts?q=BOOKS&kind=product&sort=-product_id')).toEqual([
      'NYC/P_6',
      'NYC/P5',
      'LA/P1',
      'NYC/P1',
    ]);
    expect(await keys('/api/forecasts?q=p_')).toEqual(['NYC/P_6']);
    const bad = await get('/api/forecasts?sort=points');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('querystring.sort');
  });
});
