import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Platform } from '../support/platform.js';

const WRITE = 'sk-write-4f1d9a7c2e8b6d03';
const READ = 'sk-read-9b2e7d4c1a6f8e05';
const WEBHOOK_SECRET = 'whsec-7c3a9e1f5b2d8c46';

/** API keys across the platform as real processes: the gateway and the services check them; logs never show them. */
describe('access with API_KEY and READ_API_KEY', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await Platform.start(['ingest', 'processor', 'notifier', 'gateway'], {
      API_KEY: WRITE,
      READ_API_KEY: READ,
      LOG_LEVEL: 'debug',
    });
  }, 60_000);
  afterAll(() => p.stop());

  const call = (method: string, path: string, key?: string, body?: unknown) =>
    fetch(`${p.gateway}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const event = {
    product_id: 'P1',
    store_location: 'Oslo',
    category: 'Books',
    quantity: 3,
    price: 2,
    event_timestamp: '2025-05-01T10:00:00Z',
  };

  it('refuses writes without the write key and reads without a key, through the gateway and at the service', async () => {
    expect((await call('POST', '/events', undefined, event)).status).toBe(401);
    expect((await call('POST', '/events', READ, event)).status).toBe(401);
    expect((await call('GET', '/events')).status).toBe(401);
    expect((await call('GET', '/events', READ)).status).toBe(200);
    // the service itself, reached directly, checks too
    expect(
      (
        await fetch(`${p.url('ingest')}/api/events`, {
          method: 'POST',
          body: JSON.stringify(event),
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(401);
    expect((await call('POST', '/events', WRITE, event)).status).toBe(202);
    const stored = (await (await call('GET', '/events?store=Oslo', READ)).json()) as { total: number };
    expect(stored.total).toBe(1);
    // the gateway's own calls to the services carry the key
    const overview = (await (await call('GET', '/overview', READ)).json()) as { unavailable?: string[] };
    expect(overview.unavailable ?? []).not.toContainEqual(
      expect.stringMatching(/^(ingest|processor|notifier): /),
    );
    // a dead-letter replay is a write: refused with the read key, done with the write key
    const dlq = '/dlq/stockpulse.inventory-events.processor.dlq/replay';
    expect((await call('POST', dlq, READ, {})).status).toBe(401);
    expect(await (await call('POST', dlq, WRITE, {})).json()).toEqual({
      topic: 'stockpulse.inventory-events.processor.dlq',
      replayed: 0,
      remaining: 0,
    });
    expect((await call('GET', '/dlq')).status).toBe(401);
    expect(
      (await call('POST', '/webhooks', WRITE, { url: 'http://127.0.0.1:1/hook', secret: WEBHOOK_SECRET }))
        .status,
    ).toBe(201);
  });

  it('never writes a key or a webhook secret to any log', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const name of ['ingest', 'processor', 'notifier', 'gateway']) {
      const output = p.output(name);
      expect(output.length).toBeGreaterThan(0);
      for (const secret of [WRITE, READ, WEBHOOK_SECRET]) expect(output).not.toContain(secret);
    }
  });
});
