import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { message, type InventoryEventPayload } from '@stockpulse/contracts';
import { loadConfig } from '@stockpulse/service-kit';
import { buildTestApp, eventually, type TestApp } from '@stockpulse/service-kit/testing';
import { buildApp, migrations } from '../src/app.js';
import { AnomalyConfig } from '../src/config.js';
import { steadyReport } from './steady.js';

// nothing listens on port 9 of the loopback: the score route's ingest is down
const config = loadConfig(AnomalyConfig, { INGEST_URL: 'http://127.0.0.1:9', IFOREST_MIN_EVENTS: '50' });
/** Day `d` of a steady product: 100 in stock, 5 sold a day, restocked each day, price 10. */
const report = (d: number, fields: Partial<InventoryEventPayload> = {}) =>
  steadyReport(d, 'P001', fields, 'ev');
const meta = { producer: 'test', correlationId: 'ingest-test' };

describe('anomaly service', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp((deps) => buildApp(deps, config), { name: 'anomaly', migrations });
  });
  afterEach(() => t.close());

  const list = async (query = '') =>
    (await t.app.inject({ method: 'GET', url: `/api/anomalies${query}` })).json<{
      items: Record<string, unknown>[];
      total: number;
    }>();

  it('reports a cause once, however often its event is delivered', async () => {
    const events = [...Array.from({ length: 8 }, (_, d) => report(d)), report(8, { price: 80 })];
    await t.bus.publishMany(events.map((e) => message('stockpulse.inventory-events', e, meta)));
    const spike = message('stockpulse.inventory-events', report(8, { price: 80 }), meta);
    await t.bus.publishMany([spike]); // the same event in a new message (a re-send upstream)…
    await t.bus.publishMany([spike]); // …and that message delivered twice
    const found = await eventually(list, (l) => l.total >= 1, 'the price spike');
    await t.bus.publish('stockpulse.inventory-events', report(9), meta);
    await eventually(
      () => t.db!.prepare('SELECT COUNT(*) FROM inbox').pluck().get() as number,
      (n) => n === 11,
      'every message handled',
    );
    expect((await list()).total).toBe(1);
    expect(found.items[0]).toEqual({
      id: expect.stringMatching(/^an-/),
      detector: 'rules',
      type: 'price_spike',
      severity: 'critical',
      score: expect.any(Number),
      explanation:
        'P001 (Books) at NYC was priced 80.00, 8.0 times its usual 10.00; check for a pricing or scanning error.',
      event_id: 'ev-8',
      product_id: 'P001',
      store_location: 'NYC',
      category: 'Books',
      event_timestamp: '2025-03-09T20:00:00.000Z',
      detected_at: expect.any(String),
    });
    const one = await t.app.inject({ method: 'GET', url: `/api/anomalies/${found.items[0]!.id as string}` });
    expect(one.json()).toEqual(found.items[0]);
  });

  it('compares a complete day with its forecast once the next day starts', async () => {
    await t.bus.publishMany([
      message(
        'stockpulse.forecasts',
        {
          series_id: 'NYC/P001',
          product_id: 'P001',
          store_location: 'NYC',
          category: 'Books',
          model: 'SeasonalNaive',
          generated_at: '2025-03-01T00:00:00.000Z',
          horizon: 2,
          points: ['2025-03-02', '2025-03-03'].map((date) => ({
            date,
            value: 5,
            lower_80: 3,
            upper_80: 7,
            lower_95: 2,
            upper_95: 8,
          })),
        },
        meta,
      ),
    ]);
    await eventually(
      () => t.db!.prepare('SELECT COUNT(*) FROM forecast_points').pluck().get() as number,
      (n) => n === 2,
      'the forecast stored',
    );
    await t.bus.publishMany(
      [report(1, { units_sold: 20, quantity: 85 }), report(2)].map((e) =>
        message('stockpulse.inventory-events', e, meta),
      ),
    );
    const found = await eventually(
      () => list('?detector=forecast_residual'),
      (l) => l.total === 1,
      'the residual anomaly',
    );
    // 20 sold against 5 (95 % range 2–8, σ 1.53): 9.8 standard deviations above, critical
    expect(found.items.map((a) => [a.type, a.severity, a.event_id, a.score])).toEqual([
      ['demand_above_forecast', 'critical', 'ev-1', 9.8],
    ]);
  });

  it('refuses bad filters naming the field, and says when the labels cannot be read', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/api/anomalies?severity=loud' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toContain('severity');
    const unknown = await t.app.inject({ method: 'GET', url: '/api/anomalies?colour=red' });
    expect(unknown.statusCode).toBe(400);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/anomalies/an-00000000-0000-7000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
    const score = await t.app.inject({ method: 'GET', url: '/api/anomalies/score' });
    expect(score.statusCode).toBe(503);
    expect(score.json<{ error: { message: string } }>().error.message).toContain('ingest');
  });
});
