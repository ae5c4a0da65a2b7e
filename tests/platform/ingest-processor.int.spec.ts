import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  duplicate,
  expectedInventory,
  expectedNycDay,
  expectedNycHours,
  late,
  onTime,
} from '../../services/processor/test/scenario.js';
import { busesUnderTest, getJson, Platform, post, until } from '../support/platform.js';

/** gateway + ingest + processor as real processes on each bus; every request through the gateway. */
describe.each(busesUnderTest())('ingest → processor, through the gateway (%s bus)', (bus) => {
  let p: Platform;
  beforeAll(async () => {
    p = await Platform.start(['processor', 'ingest', 'gateway'], { PROCESSOR_FLUSH_MS: '20' }, bus);
  }, 60_000);
  afterAll(() => p.stop());

  const api = (path: string) => `${p.gateway}/api${path}`;

  it('computes exact metrics for hand-computed events, a late one sent as CSV and a duplicate as NDJSON', async () => {
    expect(await post(api('/events'), onTime)).toEqual({
      status: 202,
      body: { accepted: 6, duplicates: 0, rejected: [] },
    });
    await until(
      () => getJson(api('/metrics?store=NYC&window=hour')),
      (m) => m.total === 3,
      'three NYC hours',
    );

    const csv = [
      'product_id,store_location,category,description,quantity,price,event_timestamp',
      `${late.product_id},${late.store_location},${late.category},"${late.description}",${late.quantity},${late.price},${late.event_timestamp}`,
    ].join('\n');
    expect(await post(api('/events'), csv, 'text/csv')).toEqual({
      status: 202,
      body: { accepted: 1, duplicates: 0, rejected: [] },
    });
    expect(await post(api('/events'), `${JSON.stringify(duplicate)}\n`, 'application/x-ndjson')).toEqual({
      status: 202,
      body: { accepted: 0, duplicates: 1, rejected: [] },
    });

    const hours = await until(
      () => getJson(api('/metrics?store=NYC&category=Books&window=hour')),
      (m) => m.items[0]?.units_sold === 1 && m.items[1]?.units_sold === 4,
      'the late event in the windows',
    );
    expect(hours.items).toEqual(expectedNycHours.map((w) => expect.objectContaining(w)));
    expect((await getJson(api('/metrics?store=NYC&window=day'))).items).toEqual([
      expect.objectContaining(expectedNycDay),
    ]);
    expect(await getJson(api('/inventory?category=Books'))).toEqual({
      items: expectedInventory.map((i) => expect.objectContaining(i)),
      total: 3,
    });
  });

  it("accepts the original system's six-field record as it is", async () => {
    const record = {
      product_id: 'P003',
      quantity: 42,
      price: 123.45,
      event_timestamp: '2025-05-28T15:04:05Z',
      store_location: 'Houston',
      category: 'Toys',
    };
    expect(await post(api('/events'), record)).toEqual({
      status: 202,
      body: { accepted: 1, duplicates: 0, rejected: [] },
    });
    const stock = await until(
      () => getJson(api('/inventory?store=Houston')),
      (s) => s.total === 1,
      'the record in stock',
    );
    expect(stock.items[0]).toMatchObject({
      product_id: 'P003',
      quantity: 42,
      price: 123.45,
      stock_value: 5184.9,
    });
  });

  it('stores the valid records of a batch and lists each rejected one with its fields and reasons', async () => {
    const good = { ...onTime[0]!, store_location: 'Boston', event_timestamp: '2025-01-11T09:00:00Z' };
    const res = await post(api('/events'), [
      good,
      { ...good, quantity: 'seven', price: -1 },
      { store_location: 'Boston', category: 'Books', quantity: 1, price: 1, event_timestamp: 'yesterday' },
    ]);
    expect(res).toEqual({
      status: 202,
      body: {
        accepted: 1,
        duplicates: 0,
        rejected: [
          {
            index: 1,
            errors: [
              { field: 'quantity', message: 'must be a number (got "seven")' },
              { field: 'price', message: 'must be between 0 and 10000000 (got -1)' },
            ],
          },
          {
            index: 2,
            errors: [
              { field: 'product_id', message: 'is required' },
              {
                field: 'event_timestamp',
                message: 'must be an ISO 8601 date or date-time, e.g. 2025-05-28T15:04:05Z (got "yesterday")',
              },
            ],
          },
        ],
      },
    });
  });

  it('refuses a body that is not JSON at all, and a batch with no valid record, storing nothing', async () => {
    const before = (await getJson(api('/events?limit=1'))).total;
    expect(await post(api('/events'), 'this is not JSON')).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_JSON' } },
    });
    expect(await post(api('/events'), 'hello', 'text/plain')).toMatchObject({
      status: 415,
      body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
    });
    expect(await post(api('/events'), 'product_id,price\n"P1,3\n', 'text/csv')).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_CSV' } },
    });
    expect(await post(api('/events'), [{ price: 'x' }])).toMatchObject({
      status: 400,
      body: { error: { code: 'NO_VALID_RECORDS', details: { rejected: [{ index: 0 }] } } },
    });
    expect((await getJson(api('/events?limit=1'))).total).toBe(before);
  });

  it('reports the progress of an import until every event is applied', async () => {
    const before = await getJson<{ received: number; applied: number }>(api('/ingestion'));
    const events = Array.from({ length: 3000 }, (_, i) => ({
      product_id: `IMP-${i % 30}`,
      store_location: 'Denver',
      category: 'Garden',
      quantity: 100 + (i % 7),
      price: 3.5,
      event_timestamp: new Date(
        Date.parse('2024-01-01T12:00:00Z') + Math.floor(i / 30) * 86_400_000,
      ).toISOString(),
    }));
    for (let i = 0; i < events.length; i += 1000) {
      expect((await post(api('/events'), events.slice(i, i + 1000))).status).toBe(202);
    }
    const done = await until(
      () => getJson<Record<string, number>>(api('/ingestion')),
      (g) => g.left === 0 && g.applied === before.received + 3000,
      'the import applied',
    );
    expect(done).toMatchObject({
      received: before.received + 3000,
      applied: before.received + 3000,
      dead_lettered: 0,
      left: 0,
      eta_seconds: 0,
    });
    expect(done.applied_per_second).toBeGreaterThanOrEqual(0);
  });

  it("answers 503 naming the service for a stopped service's routes only", async () => {
    await p.kill('processor', 'SIGTERM');
    try {
      const res = await fetch(api('/metrics'));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        error: { code: 'SERVICE_UNAVAILABLE', details: { service: 'processor' } },
      });
      expect((await fetch(api('/events?limit=1'))).status).toBe(200);
      const progress = await fetch(api('/ingestion'));
      expect(progress.status).toBe(503);
      expect(await progress.json()).toMatchObject({
        error: { message: expect.stringContaining('processor') },
      });
    } finally {
      await p.startService('processor');
    }
  });
});
