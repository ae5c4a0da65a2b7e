import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { InventoryEventPayload } from '@stockpulse/contracts';
import { buildTestApp, eventually, type TestApp } from '@stockpulse/service-kit/testing';
import { createHash } from 'node:crypto';
import { buildApp, migrations } from '../src/app.js';
import type { ProcessorConfig } from '../src/config.js';
import { duplicate, expectedInventory, expectedNycDay, expectedNycHours, late, onTime } from './scenario.js';

const config = { PROCESSOR_PORT: 0, PROCESSOR_FLUSH_MS: 20 } as ProcessorConfig;

/** As ingest would publish it: an event id derived from the content. */
function event(record: (typeof onTime)[number]): InventoryEventPayload {
  const event_id = `ev-${createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 32)}`;
  return { ...record, event_id, received_at: new Date().toISOString(), source: 'api' };
}

describe('processor', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp((deps) => buildApp(deps, config), { name: 'processor', migrations });
  });
  afterEach(() => t.close());

  const get = async (url: string) =>
    (await t.app.inject({ url })).json<{ items: Record<string, unknown>[]; total: number }>();
  const publish = (records: (typeof onTime)[number][]) =>
    Promise.all(
      records.map((r) => t.bus.publish('stockpulse.inventory-events', event(r), { producer: 'test' })),
    );

  it('computes stock, demand and window metrics exactly, with a late event and a duplicate', async () => {
    // Given the on-time events, processed
    await publish(onTime);
    await eventually(
      () => get('/api/metrics?store=NYC&window=hour'),
      (m) => m.total === 3,
      'three hour windows',
    );
    // When a late event and a duplicate arrive (the duplicate as a new message with the same event)
    await publish([late, duplicate]);
    // Then every figure is as computed by hand
    const hours = await eventually(
      () => get('/api/metrics?store=NYC&category=Books&window=hour'),
      (m) => m.items[0]?.units_sold === 1 && m.items[1]?.units_sold === 4,
      'the late event in the windows',
    );
    expect(hours.items).toEqual(
      expectedNycHours.map((w) => expect.objectContaining({ ...w, store_location: 'NYC', window: 'hour' })),
    );
    const day = await get('/api/metrics?store=NYC&window=day');
    expect(day.items).toEqual([
      expect.objectContaining({ ...expectedNycDay, window: 'day', category: 'Books' }),
    ]);
    const inventory = await get('/api/inventory');
    expect(inventory).toEqual({ items: expectedInventory.map((i) => expect.objectContaining(i)), total: 3 });
  });

  it('moves a re-categorised product from its old category to its new one from its report on', async () => {
    const at = (day: number, time: string) => `2025-01-1${day}T${time}:00Z`;
    const base = { store_location: 'NYC', description: 'Folio paperback novel' };
    await publish([
      {
        ...base,
        product_id: 'P1',
        category: 'Food',
        quantity: 10,
        price: 2,
        event_timestamp: at(1, '10:00'),
      },
      { ...base, product_id: 'P2', category: 'Food', quantity: 5, price: 1, event_timestamp: at(1, '11:00') },
    ]);
    await eventually(
      () => get('/api/metrics?window=day'),
      (m) => m.total === 1,
      'the first day',
    );
    await publish([
      { ...base, product_id: 'P1', category: 'Toys', quantity: 4, price: 3, event_timestamp: at(2, '10:00') },
      { ...base, product_id: 'P2', category: 'Food', quantity: 6, price: 1, event_timestamp: at(2, '11:00') },
    ]);
    const days = await eventually(
      () => get('/api/metrics?window=day'),
      (m) => m.total === 3,
      'three day windows',
    );
    const figures = days.items.map((w) => [
      w.category,
      (w.window_start as string).slice(0, 10),
      w.product_count,
      w.total_quantity,
      w.total_stock_value,
      w.stock_value_by_category,
    ]);
    expect(figures).toEqual([
      ['Food', '2025-01-11', 2, 15, 25, 25],
      ['Food', '2025-01-12', 1, 6, 6, 6],
      ['Toys', '2025-01-12', 1, 4, 12, 12],
    ]);
  });

  it('filters windows by time and answers an empty list past the data', async () => {
    await publish(onTime);
    await eventually(
      () => get('/api/metrics?store=NYC&window=hour'),
      (m) => m.total === 3,
      'three hour windows',
    );
    const from = await get('/api/metrics?window=hour&from=2025-01-10T10:00:00Z&to=2025-01-10T11:00:00Z');
    expect(from.items.map((w) => [w.store_location, w.window_start].join(' '))).toEqual([
      'LA 2025-01-10T10:00:00.000Z',
      'NYC 2025-01-10T10:00:00.000Z',
    ]);
    expect(await get('/api/metrics?from=2030-01-01T00:00:00Z')).toEqual({ items: [], total: 0 });
  });

  it('publishes one metrics update per changed window, not one per event', async () => {
    const seen: string[] = [];
    await t.bus.subscribe('stockpulse.inventory-metrics', { subscription: 'probe' }, (d) => {
      const p = d.envelope.payload;
      seen.push(
        p.kind === 'window'
          ? `${p.kind} ${p.store_location} ${p.window} ${p.window_start}`
          : `${p.kind} ${p.store_location} ${p.date} ${JSON.stringify(p.products)}`,
      );
    });
    await publish(onTime);
    await eventually(
      () => seen.filter((s) => s.startsWith('window')).length,
      (n) => n >= 6,
      'window updates',
    );
    const windows = seen.filter((s) => s.startsWith('window'));
    // 4 hour windows (NYC 09, 10, 11; LA 10) and 2 day windows; events in one flush coalesce
    expect(new Set(windows)).toEqual(
      new Set([
        'window NYC hour 2025-01-10T09:00:00.000Z',
        'window NYC hour 2025-01-10T10:00:00.000Z',
        'window NYC hour 2025-01-10T11:00:00.000Z',
        'window LA hour 2025-01-10T10:00:00.000Z',
        'window NYC day 2025-01-10T00:00:00.000Z',
        'window LA day 2025-01-10T00:00:00.000Z',
      ]),
    );
    expect(windows.length).toBeLessThan(onTime.length * 2);
    // daily demand: one message per store and day, every product of it that changed
    await eventually(
      () => seen.filter((s) => s.startsWith('daily_demand')).length,
      (n) => n >= 2,
      'demand',
    );
    expect(seen.filter((s) => s.startsWith('daily_demand NYC'))).toEqual([
      `daily_demand NYC 2025-01-10 ${JSON.stringify([
        {
          product_id: 'P1',
          category: 'Books',
          units_sold: 3,
          units_received: 13,
          closing_quantity: 20,
          price: 2.5,
        },
        {
          product_id: 'P2',
          category: 'Books',
          units_sold: 2,
          units_received: 0,
          closing_quantity: 3,
          price: 4,
        },
      ])}`,
    ]);
  });

  it('answers a bad query with 400 naming the parameter', async () => {
    const res = await t.app.inject({ url: '/api/metrics?window=week&limit=0' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual(
      expect.arrayContaining([
        { field: 'querystring.window', message: 'must be one of hour, day' },
        { field: 'querystring.limit', message: 'must be >= 1' },
      ]),
    );
  });
});
