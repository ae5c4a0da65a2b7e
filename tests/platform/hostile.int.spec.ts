import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getJson, Platform } from '../support/platform.js';

type Bad = { name: string; method?: string; path: string; type?: string; body?: string | Buffer };

const ok = {
  product_id: 'P1',
  store_location: 'NYC',
  category: 'Books',
  quantity: 5,
  price: 2.5,
  event_timestamp: '2025-05-01T10:00:00Z',
};
const event = (fields: Record<string, unknown>) => JSON.stringify({ ...ok, ...fields });
const without = (field: keyof typeof ok) => {
  const { [field]: _gone, ...rest } = ok;
  return JSON.stringify(rest);
};
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Requests that must each get a 4xx with a message, store nothing and harm no process. */
const CORPUS: Bad[] = [
  // not JSON, or not the JSON of an event
  ...['{', '[1,2', '{"product_id":}', 'nul', '\u0000', '{"a":1}{"b":2}', 'NaN', "{'single':'quotes'}"].map(
    (body) => ({
      name: `malformed JSON ${JSON.stringify(body)}`,
      path: '/events',
      body,
    }),
  ),
  { name: 'empty body', path: '/events', body: '' },
  { name: 'a number', path: '/events', body: '42' },
  { name: 'a string', path: '/events', body: '"event"' },
  { name: 'deep nesting', path: '/events', body: nested(5000) },
  // wrong types
  { name: 'quantity as a string', path: '/events', body: event({ quantity: '5' }) },
  { name: 'price as a string', path: '/events', body: event({ price: '2.5' }) },
  { name: 'product id as a number', path: '/events', body: event({ product_id: 5 }) },
  { name: 'timestamp as a number', path: '/events', body: event({ event_timestamp: 1714557600 }) },
  { name: 'units sold as a boolean', path: '/events', body: event({ units_sold: true }) },
  { name: 'quantity as an object', path: '/events', body: event({ quantity: { $gt: 0 } }) },
  { name: 'quantity as an array', path: '/events', body: event({ quantity: [5] }) },
  { name: 'a fractional quantity', path: '/events', body: event({ quantity: 2.5 }) },
  // NaN, Infinity, past 2^53, negative and absurd
  { name: 'price 1e400 (Infinity)', path: '/events', body: event({}).replace('2.5', '1e400') },
  {
    name: 'quantity past 2^53',
    path: '/events',
    body: event({}).replace('"quantity":5', '"quantity":9007199254740993'),
  },
  { name: 'negative price', path: '/events', body: event({ price: -1 }) },
  { name: 'negative units sold', path: '/events', body: event({ units_sold: -5 }) },
  { name: 'negative units received', path: '/events', body: event({ units_received: -1 }) },
  { name: 'absurd quantity', path: '/events', body: event({ quantity: 1e12 }) },
  { name: 'absurd price', path: '/events', body: event({ price: 1e15 }) },
  {
    name: 'a timestamp far in the future',
    path: '/events',
    body: event({ event_timestamp: '2999-01-01T00:00:00Z' }),
  },
  {
    name: 'a timestamp that is no date',
    path: '/events',
    body: event({ event_timestamp: '2025-13-45T99:00:00Z' }),
  },
  // missing and extra fields
  ...(['product_id', 'store_location', 'category', 'price', 'event_timestamp'] as const).map((f) => ({
    name: `missing ${f}`,
    path: '/events',
    body: without(f),
  })),
  { name: 'neither quantity nor units sold', path: '/events', body: without('quantity') },
  { name: 'an extra field', path: '/events', body: event({ is_admin: true }) },
  { name: 'a prototype key', path: '/events', body: '{"__proto__":{"polluted":true},"product_id":"P1"}' },
  // injection in every identifier field
  { name: 'SQL in product_id', path: '/events', body: event({ product_id: "P1'; DROP TABLE events;--" }) },
  { name: 'SQL in store_location', path: '/events', body: event({ store_location: "NYC' OR 1=1 --" }) },
  {
    name: 'SQL in category',
    path: '/events',
    body: event({ category: 'Books" UNION SELECT * FROM events' }),
  },
  { name: 'script in product_id', path: '/events', body: event({ product_id: '<script>alert(1)</script>' }) },
  {
    name: 'HTML in store_location',
    path: '/events',
    body: event({ store_location: '<img src=x onerror=alert(1)>' }),
  },
  { name: 'template in category', path: '/events', body: event({ category: '${process.exit()}' }) },
  { name: 'path in product_id', path: '/events', body: event({ product_id: '../../etc/passwd' }) },
  {
    name: 'newline in store_location',
    path: '/events',
    body: event({ store_location: 'NYC\r\nX-Injected: 1' }),
  },
  { name: 'an overlong product_id', path: '/events', body: event({ product_id: 'P'.repeat(65) }) },
  {
    name: 'invalid UTF-8 in product_id',
    path: '/events',
    body: Buffer.concat([
      Buffer.from('{"product_id":"P'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(event({}).slice(16)),
    ]),
  },
  // CSV
  {
    name: 'CSV with broken quoting',
    path: '/events',
    type: 'text/csv',
    body: 'product_id,store_location,category,quantity,price,event_timestamp\n"P1,NYC,Books,5,2.5,2025-05-01',
  },
  {
    name: 'CSV formula injection',
    path: '/events',
    type: 'text/csv',
    body: "product_id,store_location,category,quantity,price,event_timestamp\n=cmd|' /C calc'!A0,NYC,Books,5,2.5,2025-05-01",
  },
  { name: 'CSV with no header', path: '/events', type: 'text/csv', body: 'P1,NYC,Books,5,2.5,2025-05-01' },
  {
    name: 'CSV with an unknown column',
    path: '/events',
    type: 'text/csv',
    body: 'product_id,store_location,category,quantity,price,event_timestamp,evil\nP1,NYC,Books,5,2.5,2025-05-01,1',
  },
  {
    name: 'NDJSON with only broken lines',
    path: '/events',
    type: 'application/x-ndjson',
    body: '{broken\n{"also": broken',
  },
  // size
  {
    name: 'a 10 MB body',
    path: '/events',
    body: `[${Array.from({ length: 110_000 }, () => event({ product_id: 'P'.repeat(20) })).join(',')}]`,
  },
  // wrong content types
  { name: 'text/plain', path: '/events', type: 'text/plain', body: event({}) },
  { name: 'application/xml', path: '/events', type: 'application/xml', body: '<event/>' },
  { name: 'form data', path: '/events', type: 'application/x-www-form-urlencoded', body: 'product_id=P1' },
  // other bodies
  { name: 'generate: negative days', path: '/generate', body: '{"days":-1}' },
  { name: 'generate: too many days', path: '/generate', body: '{"days":100000}' },
  { name: 'generate: zero stores', path: '/generate', body: '{"stores":0}' },
  {
    name: 'generate: unknown anomaly kind',
    path: '/generate',
    body: '{"anomalies":{"count":1,"kinds":["bogus"]}}',
  },
  { name: 'forecast run: horizon 0', path: '/forecasts/run', body: '{"horizon":0}' },
  { name: 'forecast run: horizon 91', path: '/forecasts/run', body: '{"horizon":91}' },
  { name: 'webhook: javascript URL', path: '/webhooks', body: '{"url":"javascript:alert(1)"}' },
  { name: 'webhook: file URL', path: '/webhooks', body: '{"url":"file:///etc/passwd"}' },
  { name: 'webhook: short secret', path: '/webhooks', body: '{"url":"http://127.0.0.1:1/","secret":"x"}' },
  { name: 'test mode while off', path: '/test-mode/anomalies', body: '{"count":1}' },
  { name: 'DLQ replay: traversal', path: '/dlq/..%2F..%2Fetc%2Fpasswd/replay', body: '{}' },
  { name: 'DLQ replay: not a DLQ', path: '/dlq/stockpulse.inventory-events/replay', body: '{}' },
  { name: 'DLQ replay: unknown DLQ', path: '/dlq/stockpulse.nothing.dlq/replay', body: '{}' },
  {
    name: 'DLQ replay: limit 0',
    path: '/dlq/stockpulse.inventory-events.processor.dlq/replay',
    body: '{"limit":0}',
  },
  {
    name: 'DLQ replay: limit as text',
    path: '/dlq/stockpulse.inventory-events.processor.dlq/replay',
    body: '{"limit":"all"}',
  },
  // queries, ids and paths
  ...[
    '/metrics?window=week',
    '/metrics?limit=-1',
    '/metrics?limit=1e9',
    '/metrics?from=yesterday',
    '/events?limit=99999999999999999999',
    '/forecasts?horizon=abc',
    '/forecasts?model=Oracle',
    '/anomalies?severity=loud',
    '/anomalies?store=' + 'x'.repeat(300),
    '/notifications?status=closed',
    '/notifications/..%2F..%2Fetc%2Fpasswd',
    '/notifications/nt-00000000-0000-7000-8000-000000000000/explain',
    '/anomalies/..%2f..%2fetc',
    '/jobs/..%2F..%2Fetc%2Fpasswd',
    '/jobs/ingest-00000000-0000-4000-8000-000000000000',
    '/nope',
  ].map((path) => ({ name: `GET ${path.slice(0, 60)}`, method: 'GET', path })),
  { name: 'DELETE /events', method: 'DELETE', path: '/events' },
  { name: 'PUT /metrics', method: 'PUT', path: '/metrics', body: '{}' },
  { name: 'PATCH /notifications', method: 'PATCH', path: '/notifications', body: '{}' },
];

/** The corpus through the gateway, with every service running as a real process. */
describe(`hostile input: ${CORPUS.length} bad requests`, () => {
  let p: Platform;
  beforeAll(async () => {
    p = await Platform.start(['ingest', 'processor', 'forecaster', 'anomaly', 'notifier', 'gateway'], {
      FORECASTER_MODELS: 'SeasonalNaive,Mean',
      FORECAST_THREADS: '1',
    });
  }, 60_000);
  afterAll(() => p.stop());

  it('has at least 60 requests', () => expect(CORPUS.length).toBeGreaterThanOrEqual(60));

  it('answers each with a 4xx and a message, stores nothing, and every service stays up', async () => {
    const answers: { name: string; status: number; message: unknown }[] = [];
    for (const bad of CORPUS) {
      const res = await fetch(`${p.gateway}/api${bad.path}`, {
        method: bad.method ?? 'POST',
        ...(bad.body !== undefined
          ? { body: bad.body, headers: { 'content-type': bad.type ?? 'application/json' } }
          : {}),
      }).catch((err: Error) => ({ status: 0, json: async () => ({ error: { message: err.message } }) }));
      const body = (await res.json().catch(() => ({}))) as { error?: { message?: unknown } };
      answers.push({ name: bad.name, status: res.status, message: body.error?.message });
    }
    const wrong = answers.filter(
      (a) => a.status < 400 || a.status >= 500 || typeof a.message !== 'string' || !a.message,
    );
    expect(wrong).toEqual([]);
    expect((await getJson(`${p.gateway}/api/events?limit=1`)).total).toBe(0);
    expect((await getJson(`${p.gateway}/api/notifications?limit=1`)).total).toBe(0);
    for (const name of ['ingest', 'processor', 'forecaster', 'anomaly', 'notifier', 'gateway']) {
      expect((await fetch(`${p.url(name)}/ready`)).status).toBe(200);
    }
    console.log(
      `hostile input: ${answers.length} bad requests tried, ${answers.length - wrong.length} rejected with a 4xx and a message`,
    );
  });
});
