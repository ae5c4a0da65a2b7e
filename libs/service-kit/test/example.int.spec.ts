import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Envelope } from '@stockpulse/contracts';
import { buildTestApp, eventually, metricValue, type TestApp } from '@stockpulse/service-kit/testing';
import { buildApp, migrations } from './example/app.js';

const config = {} as never; // the example reads nothing from its config beyond the port

describe('a service in the kit shape (example)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp((deps) => buildApp(deps, config), { name: 'example', migrations });
  });
  afterEach(() => t.close());

  const counts = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/counts' })).json<{ items: unknown[] }>();

  it('stores a reading, publishes it through the outbox and counts it once through the inbox', async () => {
    // Given two readings posted
    for (const store of ['NYC', 'LA']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/readings',
        payload: { product_id: 'P1', store_location: store, quantity: 3 },
      });
      expect(res.statusCode).toBe(202);
    }
    // Then each is counted once, and the outbox is empty
    const result = await eventually(counts, (c) => c.items.length === 2, 'two stores counted');
    expect(result).toEqual({
      items: [
        { store_location: 'LA', events: 1 },
        { store_location: 'NYC', events: 1 },
      ],
      total: 2,
    });
    expect(t.db!.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('changes nothing when the same message is delivered again', async () => {
    // Given one reading handled, and its message as it went over the bus
    const seen: Envelope<'stockpulse.inventory-events'>[] = [];
    await t.bus.subscribe(
      'stockpulse.inventory-events',
      { subscription: 'spy' },
      (d) => void seen.push(d.envelope),
    );
    await t.app.inject({
      method: 'POST',
      url: '/api/readings',
      payload: { product_id: 'P1', store_location: 'NYC', quantity: 3 },
    });
    await eventually(counts, (c) => c.items.length === 1, 'the first count');
    await eventually(
      () => seen.length,
      (n) => n === 1,
      'the spy to see the message',
    );
    // When the very same envelope is published again (as the relay does after a crash), then a new one
    const again = { topic: 'stockpulse.inventory-events', key: 'NYC/P1', envelope: seen[0]! };
    await t.bus.publishMany([again]);
    await t.bus.publishMany([{ ...again, envelope: { ...seen[0]!, id: 'another-message' } }]);
    await eventually(
      () => seen.length,
      (n) => n === 3,
      'the spy to see both',
    );
    // Then only the new message id counts
    await eventually(counts, (c) => JSON.stringify(c.items).includes('"events":2'), 'the second message');
    expect((await counts()).items).toEqual([{ store_location: 'NYC', events: 2 }]);
    expect(t.db!.prepare('SELECT COUNT(*) FROM inbox').pluck().get()).toBe(2);
  });

  it('answers a bad body with 400 naming each field, and stores nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/readings',
      payload: { product_id: '', quantity: '3', extra: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'VALIDATION_ERROR',
        message: expect.stringContaining('invalid request:'),
        details: expect.arrayContaining([
          { field: 'product_id', message: 'must NOT have fewer than 1 characters' },
          { field: 'store_location', message: 'is required' },
          { field: 'quantity', message: 'must be integer' },
          { field: 'extra', message: 'is not a known field' },
        ]),
      },
    });
    expect(t.db!.prepare('SELECT COUNT(*) FROM readings').pluck().get()).toBe(0);
  });

  it('answers malformed JSON, unknown routes and oversized bodies with the error shape', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/readings',
      headers: { 'content-type': 'application/json' },
      payload: '{"product_id":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_JSON');
    const missing = await t.app.inject({ method: 'GET', url: '/api/nothing?x=1' });
    expect(missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /api/nothing' } });
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/readings',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ product_id: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reports health, readiness of the store and the bus, and Prometheus metrics', async () => {
    expect((await t.app.inject({ url: '/health' })).json()).toMatchObject({
      status: 'ok',
      service: 'example',
    });
    const ready = await t.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', service: 'example', checks: { store: 'ok', bus: 'ok' } });
    await t.app.inject({
      method: 'POST',
      url: '/api/readings',
      payload: { product_id: 'P', store_location: 'LA', quantity: 1 },
    });
    await eventually(counts, (c) => c.items.length === 1, 'the count');
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    const topic = 'stockpulse.inventory-events';
    expect(metricValue(metrics, 'stockpulse_bus_published_total', { topic })).toBe(1);
    expect(
      metricValue(metrics, 'stockpulse_bus_consumed_total', {
        topic,
        subscription: 'example',
        outcome: 'acked',
      }),
    ).toBe(1);
    expect(
      metricValue(metrics, 'stockpulse_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/readings',
        status: '202',
      }),
    ).toBe(1);
    expect(metricValue(metrics, 'process_resident_memory_bytes', { service: 'example' })).toBeGreaterThan(0);
  });

  it('answers 503 on /ready with the reason when the bus is gone', async () => {
    await t.bus.close();
    const ready = await t.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({
      status: 'not_ready',
      service: 'example',
      reason: 'bus: the bus is closed',
      checks: { store: 'ok', bus: 'the bus is closed' },
    });
  });
});
