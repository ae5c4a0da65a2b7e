import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { message, type InventoryEventPayload } from '@stockpulse/contracts';
import { loadConfig } from '@stockpulse/service-kit';
import { buildTestApp, eventually, type TestApp } from '@stockpulse/service-kit/testing';
import { buildApp, migrations } from '../src/app.js';
import { AnomalyConfig } from '../src/config.js';
import { steadyReport } from './steady.js';

const config = loadConfig(AnomalyConfig, { INGEST_URL: 'http://127.0.0.1:9', IFOREST_MIN_EVENTS: '50' });
const meta = { producer: 'test', correlationId: 'ingest-test' };
const report = steadyReport;

type Item = Record<string, unknown> & { id: string };

describe('verdicts on anomalies', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp((deps) => buildApp(deps, config), { name: 'anomaly', migrations });
  });
  afterEach(() => t.close());

  const send = (events: InventoryEventPayload[]) =>
    t.bus.publishMany(events.map((e) => message('stockpulse.inventory-events', e, meta)));
  const handled = (n: number) =>
    eventually(
      () => t.db!.prepare('SELECT COUNT(*) FROM inbox').pluck().get() as number,
      (c) => c >= n,
      `${n} messages handled`,
    );
  const get = async <T>(url: string) => (await t.app.inject({ method: 'GET', url })).json<T>();
  const list = (query = '') => get<{ items: Item[]; total: number }>(`/api/anomalies${query}`);
  const judge = (id: string, body: unknown) =>
    t.app.inject({ method: 'POST', url: `/api/anomalies/${id}/verdict`, payload: body as object });

  it('stops a rejected kind of false alarm recurring, keeps detecting a confirmed kind, and keeps the history', async () => {
    const steady = (p: string) => Array.from({ length: 8 }, (_, d) => report(d, p));
    await send([
      ...steady('P001'),
      report(8, 'P001', { price: 2.5 }),
      ...steady('P002'),
      report(8, 'P002', { quantity: -3 }),
    ]);
    await handled(18);
    const drop = (await list('?product=P001')).items[0]!;
    const negative = (await list('?product=P002')).items[0]!;
    expect([drop.type, negative.type]).toEqual(['price_drop', 'negative_stock']);

    // a clearance price, a user says: the same kind of drop at this product and store is no longer an alarm
    expect(
      (await judge(drop.id, { verdict: 'false_positive', reason: 'clearance price' })).json(),
    ).toMatchObject({
      id: drop.id,
      verdict: 'false_positive',
      verdict_reason: 'clearance price',
    });
    expect((await judge(negative.id, { verdict: 'confirmed' })).statusCode).toBe(200);
    await send([report(9, 'P001', { price: 2.5 }), report(9, 'P002', { quantity: -4 })]);
    await handled(20);
    expect((await list('?product=P001')).items.map((a) => a.event_id)).toEqual(['P001-8']);
    expect((await list('?product=P002')).items.map((a) => a.event_id)).toEqual(['P002-9', 'P002-8']);
    // the drop of day 9 is kept as a note, saying why it is not an anomaly
    const notes = await get<{ items: Item[] }>('/api/anomalies/notes?product=P001&type=price_drop');
    expect(notes.items).toEqual([
      expect.objectContaining({
        event_id: 'P001-9',
        detector: 'rules',
        explanation: expect.stringContaining('a user marked a similar price drop here a false positive'),
      }),
    ]);
    // another kind at the same product still alarms
    await send([report(10, 'P001', { price: 80 })]);
    await handled(21);
    expect((await list('?product=P001&type=price_spike')).total).toBe(1);

    // changed minds: the verdict can change, its history is kept, and the threshold goes with it
    expect(
      (await judge(drop.id, { verdict: 'confirmed', reason: 'it was a scanning error after all' }))
        .statusCode,
    ).toBe(200);
    const history = await get<{ items: Record<string, unknown>[] }>(`/api/anomalies/${drop.id}/verdicts`);
    expect(history.items.map((h) => [h.verdict, h.reason])).toEqual([
      ['false_positive', 'clearance price'],
      ['confirmed', 'it was a scanning error after all'],
    ]);
    await send([report(11, 'P001', { price: 2.5 })]);
    await handled(22);
    expect((await list('?product=P001&type=price_drop')).total).toBe(2);
    expect((await list('?verdict=confirmed')).total).toBe(2);
    expect((await list('?verdict=none')).total).toBe(3); // P002-9, P001-10, P001-11

    const csv = await t.app.inject({ method: 'GET', url: '/api/anomalies/verdicts?format=csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'at,verdict,reason,anomaly_id,detector,type,severity,score,product_id,store_location,category,event_id,event_timestamp,explanation',
    );
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain(`,confirmed,it was a scanning error after all,${drop.id},rules,price_drop,`);
  });

  it('refuses an unknown verdict naming the allowed values, and an unknown anomaly with 404, writing nothing', async () => {
    await send([...Array.from({ length: 8 }, (_, d) => report(d, 'P001')), report(8, 'P001', { price: 80 })]);
    const [spike] = (await eventually(list, (l) => l.total === 1, 'the spike')).items;
    const bad = await judge(spike!.id, { verdict: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toMatch(
      /verdict.*confirmed, false_positive/,
    );
    const missing = await judge('an-00000000-0000-7000-8000-000000000000', { verdict: 'confirmed' });
    expect(missing.statusCode).toBe(404);
    expect(t.db!.prepare('SELECT COUNT(*) FROM verdicts').pluck().get()).toBe(0);
    expect((await list()).items[0]).not.toHaveProperty('verdict');
  });
});
