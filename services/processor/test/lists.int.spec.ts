import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { InventoryEventPayload } from '@stockpulse/contracts';
import { buildTestApp, eventually, type TestApp } from '@stockpulse/service-kit/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, migrations } from '../src/app.js';
import type { ProcessorConfig } from '../src/config.js';

const config = { PROCESSOR_PORT: 0, PROCESSOR_FLUSH_MS: 20 } as ProcessorConfig;

/** One stock report per product × store, on one day: values are quantity × price. */
const REPORTS = [
  ['NYC', 'P1', 'Books', 'Paperback 100% recycled', 5, 10],
  ['NYC', 'P2', 'Toys', 'Toy_car red', 20, 1.5],
  ['NYC', 'P3', 'Books', 'Hardback', 5, 4],
  ['LA', 'P1', 'Books', 'Paperback 100 pages', 7, 10],
  ['LA', 'P4', 'Toys', 'toy car blue', 0, 3],
  ['LA', 'P5', 'Food', undefined, 5, 2],
] as const;

const events: InventoryEventPayload[] = REPORTS.map(
  ([store, product, category, description, qty, price], i) => ({
    event_id: `ev-${i}`,
    store_location: store,
    product_id: product,
    category,
    ...(description ? { description } : {}),
    quantity: qty,
    price,
    event_timestamp: `2025-02-03T1${i}:00:00Z`,
    received_at: new Date().toISOString(),
    source: 'api',
  }),
);

describe('processor lists: sort and search', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stockpulse-processor-lists-'));
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp((deps) => buildApp(deps, config), {
      name: 'processor',
      migrations,
      storeFile: join(dir, 'inventory_metrics.db'),
    });
    await Promise.all(
      events.map((e) => t.bus.publish('stockpulse.inventory-events', e, { producer: 'test' })),
    );
    await eventually(
      () => get('/api/inventory'),
      (l) => l.total === 6,
      'every report in the stock',
    );
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (url: string) =>
    (await t.app.inject({ url })).json<{ items: Record<string, unknown>[]; total: number }>();
  const keys = async (url: string) =>
    (await get(url)).items.map((i) => `${String(i.store_location)}/${String(i.product_id)}`);

  it('sorts the inventory by any of its columns, the default order breaking ties', async () => {
    expect(await keys('/api/inventory')).toEqual(['LA/P1', 'LA/P4', 'LA/P5', 'NYC/P1', 'NYC/P2', 'NYC/P3']);
    expect(await keys('/api/inventory?sort=-quantity,product_id')).toEqual([
      'NYC/P2',
      'LA/P1',
      'NYC/P1',
      'NYC/P3',
      'LA/P5',
      'LA/P4',
    ]);
    // ties (three at 5) by store, then product
    const byQuantity = ['LA/P4', 'LA/P5', 'NYC/P1', 'NYC/P3', 'LA/P1', 'NYC/P2'];
    expect(await keys('/api/inventory?sort=quantity')).toEqual(byQuantity);
    // an unknown description sorts as shown (''), text by its bytes (T before t)
    expect(await keys('/api/inventory?sort=description')).toEqual([
      'LA/P5',
      'NYC/P3',
      'LA/P1',
      'NYC/P1',
      'NYC/P2',
      'LA/P4',
    ]);
    expect(await keys('/api/inventory?sort=-stock_value')).toEqual([
      'LA/P1',
      'NYC/P1',
      'NYC/P2',
      'NYC/P3',
      'LA/P5',
      'LA/P4',
    ]);
    expect(await keys('/api/inventory?sort=-store_location')).toEqual([
      'NYC/P1',
      'NYC/P2',
      'NYC/P3',
      'LA/P1',
      'LA/P4',
      'LA/P5',
    ]);
  });

  it('pages a sorted list stably: pages put together are the whole list', async () => {
    const pages = [];
    for (let offset = 0; offset < 6; offset += 2)
      pages.push(...(await keys(`/api/inventory?sort=quantity&limit=2&offset=${offset}`)));
    expect(pages).toEqual(['LA/P4', 'LA/P5', 'NYC/P1', 'NYC/P3', 'LA/P1', 'NYC/P2']);
    expect((await get('/api/inventory?sort=quantity&limit=2&offset=2')).total).toBe(6);
  });

  it('searches product, description, store and category case-insensitively, % and _ as typed', async () => {
    expect(await get('/api/inventory?q=TOY')).toMatchObject({ total: 2 });
    expect(await keys('/api/inventory?q=TOY')).toEqual(['LA/P4', 'NYC/P2']);
    expect(await keys('/api/inventory?q=100%25')).toEqual(['NYC/P1']);
    expect(await keys('/api/inventory?q=y_c')).toEqual(['NYC/P2']);
    expect(await keys('/api/inventory?q=_')).toEqual(['NYC/P2']);
    expect(await keys('/api/inventory?q=food')).toEqual(['LA/P5']);
    expect(await keys('/api/inventory?q=nyc&sort=-price')).toEqual(['NYC/P1', 'NYC/P3', 'NYC/P2']);
    // with the filters as before
    expect(await get('/api/inventory?store=LA&q=paper')).toMatchObject({
      items: [
        { product_id: 'P1', store_location: 'LA', description: 'Paperback 100 pages', stock_value: 70 },
      ],
      total: 1,
    });
  });

  it('refuses an unknown sort column and a search over 128 characters, naming the parameter', async () => {
    const bad = await t.app.inject({ url: '/api/inventory?sort=-colour' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [
        {
          field: 'querystring.sort',
          message:
            "cannot sort by 'colour'; sortable columns: product_id, store_location, category, description, " +
            'quantity, price, stock_value, updated_at, units_sold_7d, days_of_cover',
        },
      ],
    });
    const long = await t.app.inject({ url: `/api/inventory?q=${'x'.repeat(129)}` });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.details).toEqual([
      { field: 'querystring.q', message: 'must NOT have more than 128 characters' },
    ]);
    expect((await t.app.inject({ url: `/api/inventory?q=${'x'.repeat(128)}` })).statusCode).toBe(200);
  });

  it('sorts window metrics by their figures (sort only: no search)', async () => {
    const day = await get('/api/metrics?window=day&sort=-total_stock_value');
    expect(day.items.map((w) => [w.store_location, w.category, w.total_stock_value])).toEqual([
      ['LA', 'Books', 70],
      ['NYC', 'Books', 70],
      ['NYC', 'Toys', 30],
      ['LA', 'Food', 10],
      ['LA', 'Toys', 0],
    ]);
    const byCategory = await get('/api/metrics?window=day&sort=category,-store_location&limit=2&offset=1');
    expect(byCategory.items.map((w) => `${String(w.category)}/${String(w.store_location)}`)).toEqual([
      'Books/LA',
      'Food/LA',
    ]);
    expect(byCategory.total).toBe(5);
    const refused = await t.app.inject({ url: '/api/metrics?sort=stock_value_by_category' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0].field).toBe('querystring.sort');
    const search = await t.app.inject({ url: '/api/metrics?q=Books' });
    expect(search.json().error.details).toEqual([
      { field: 'querystring.q', message: 'is not a known field' },
    ]);
  });
});
