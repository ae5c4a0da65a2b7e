import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { message } from '@stockpulse/contracts';
import { loadConfig } from '@stockpulse/service-kit';
import { buildTestApp, closedUrl, eventually, type TestApp } from '@stockpulse/service-kit/testing';
import { buildApp, migrations } from '../src/app.js';
import { NotifierConfig } from '../src/config.js';
import { verify } from '../src/webhooks/signature.js';
import { anomaly, forecast, readEvents, receiver } from './support.js';

// nothing listens on port 9 of the loopback: the processor (for explanations) is down; stock signals one
// notification per product, at once (digests and pending periods: alerts.int.spec.ts)
const config = loadConfig(NotifierConfig, {
  PROCESSOR_URL: 'http://127.0.0.1:9',
  NOTIFY_STOCK_DIGEST: 'product',
  NOTIFY_PENDING_OBSERVATIONS: '1',
  NOTIFIER_TICK_MS: '20',
  WEBHOOK_BACKOFF_MS: '20',
  WEBHOOK_MAX_ATTEMPTS: '4',
});
const meta = { producer: 'test' };

type Item = Record<string, unknown> & { id: string; status: string; count: number };

describe('notifier', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp((deps) => buildApp(deps, config), { name: 'notifier', migrations });
  });
  afterEach(() => t.close());

  const http = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: res.statusCode, body: res.body ? res.json<Record<string, unknown>>() : {} };
  };
  const list = async (query = '') =>
    (await http('GET', `/api/notifications${query}`)).body as { items: Item[]; total: number };
  const publish = (...anomalies: ReturnType<typeof anomaly>[]) =>
    t.bus.publishMany(anomalies.map((a) => message('stockpulse.anomalies', a, meta)));
  const handled = (n: number) =>
    eventually(
      () => t.db!.prepare('SELECT COUNT(*) FROM inbox').pluck().get() as number,
      (c) => c === n,
      `${n} messages handled`,
    );

  it('makes one notification of one cause: the same anomaly redelivered, and the cause twice → count 2', async () => {
    const payload = anomaly();
    const first = message('stockpulse.anomalies', payload, meta);
    await t.bus.publishMany([first]);
    await t.bus.publishMany([first]); // the same message again
    await t.bus.publishMany([message('stockpulse.anomalies', payload, meta)]); // the same anomaly, new message
    await publish(anomaly({ severity: 'warning' })); // the same cause
    await publish(anomaly({ severity: 'info' })); // below the minimum severity
    await handled(4);
    const { items, total } = await list();
    expect(total).toBe(1);
    expect(items[0]).toMatchObject({
      type: 'price_spike',
      severity: 'critical',
      status: 'open',
      title: 'Price spike: P001 at NYC',
      product_id: 'P001',
      store_location: 'NYC',
      category: 'Books',
      count: 2,
    });
    expect((items[0]!.anomaly_ids as string[]).length).toBe(2);
    const one = (await http('GET', `/api/notifications/${items[0]!.id}`)).body;
    expect((one.history as { change: string }[]).map((h) => h.change)).toEqual(['opened', 'repeated']);
  });

  it('follows the lifecycle, refusing what it does not allow, and fires again once resolved', async () => {
    await publish(anomaly());
    await handled(1);
    const [n] = (await list()).items;
    const url = `/api/notifications/${n!.id}`;
    expect(await http('POST', `${url}/ack`, { by: 'maria', note: 'checking the shelf' })).toMatchObject({
      status: 200,
      body: { status: 'acknowledged', change: 'acknowledged' },
    });
    expect(await http('POST', `${url}/ack`, {})).toEqual({
      status: 409,
      body: {
        error: { code: 'CONFLICT', message: `cannot ack notification ${n!.id}: it is already acknowledged` },
      },
    });
    expect((await http('POST', `${url}/resolve`, null)).body).toMatchObject({ status: 'resolved' });
    expect(await http('POST', `${url}/resolve`, {})).toMatchObject({
      status: 409,
      body: { error: { message: `cannot resolve notification ${n!.id}: it is already resolved` } },
    });
    expect(
      await http('POST', '/api/notifications/nt-00000000-0000-7000-8000-000000000000/ack', {}),
    ).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND' } },
    });
    const malformed = await http('POST', '/api/notifications/..%2F..%2Fetc/ack', {});
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toContain('id');
    const history = (await http('GET', url)).body.history as { change: string; actor: string | null }[];
    expect(history.map((h) => [h.change, h.actor])).toEqual([
      ['opened', null],
      ['acknowledged', 'maria'],
      ['resolved', null],
    ]);

    // the same cause after resolve: a new notification
    await publish(anomaly());
    await handled(2);
    const all = await list();
    expect(all.total).toBe(2);
    expect(all.items.map((i) => [i.status, i.count])).toEqual([
      ['open', 1],
      ['resolved', 1],
    ]);
  });

  it('snoozes until a time in the future, then opens again', async () => {
    await publish(anomaly());
    await handled(1);
    const [n] = (await list()).items;
    const past = await http('POST', `/api/notifications/${n!.id}/snooze`, { until: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    const until = new Date(Date.now() + 300).toISOString();
    expect((await http('POST', `/api/notifications/${n!.id}/snooze`, { until })).body).toMatchObject({
      status: 'snoozed',
      snoozed_until: until,
    });
    await eventually(list, (l) => l.items[0]!.status === 'open', 'the snooze to end');
    const history = (await http('GET', `/api/notifications/${n!.id}`)).body.history as { change: string }[];
    expect(history.map((h) => h.change)).toEqual(['opened', 'snoozed', 'reopened']);
  });

  it('raises stock signals from forecasts while they hold and clears them when they stop', async () => {
    // 40 on hand, above the reorder point: only the expected stock-out is raised and cleared
    const withStockout = (stockout: string | null) =>
      forecast('P001', 40, 'NYC', { stockout_date: stockout });
    const soon = new Date(Date.now() + 4 * 86_400_000).toISOString().slice(0, 10);
    for (const f of [withStockout(soon), withStockout(soon), withStockout(null), withStockout(soon)]) {
      await t.bus.publishMany([message('stockpulse.forecasts', f, meta)]);
    }
    await handled(4);
    const { items } = await list('?type=stockout_expected');
    expect(items.map((i) => [i.status, i.count])).toEqual(
      expect.arrayContaining([
        ['open', 1],
        ['resolved', 2],
      ]),
    );
    const cleared = items.find((i) => i.status === 'resolved')!;
    const history = (await http('GET', `/api/notifications/${cleared.id}`)).body.history as {
      change: string;
    }[];
    expect(history.map((h) => h.change)).toEqual(['opened', 'repeated', 'cleared']);
  });

  it('delivers signed webhooks that a receiver can verify, retrying a failing receiver with backoff', async () => {
    const hook = await receiver([500, 503, 204]);
    try {
      const created = await http('POST', '/api/webhooks', { url: hook.url, min_severity: 'warning' });
      expect(created.status).toBe(201);
      const secret = created.body.secret as string;
      expect(secret.length).toBeGreaterThanOrEqual(16);
      expect((await http('GET', '/api/webhooks')).body.items).toEqual([
        expect.not.objectContaining({ secret: expect.anything() }),
      ]);
      await publish(anomaly());
      await eventually(
        () => hook.received.length,
        (n) => n === 3,
        'three attempts',
      );
      const last = hook.received[2]!;
      expect(verify(secret, last.body, last.headers['x-stockpulse-signature'] as string)).toBe(true);
      expect(
        verify('not-the-secret-at-all', last.body, last.headers['x-stockpulse-signature'] as string),
      ).toBe(false);
      expect(JSON.parse(last.body)).toMatchObject({
        event: 'notification.opened',
        notification: { type: 'price_spike' },
      });
      expect(hook.received.map((r) => r.body)).toEqual([last.body, last.body, last.body]);
      const log = await eventually(
        async () => (await http('GET', `/api/webhooks/${created.body.id as string}/deliveries`)).body,
        (b) => (b.items as { status: string }[])[0]?.status === 'delivered',
        'the delivery marked delivered',
      );
      const [delivery] = log.items as { attempts: number; attempts_log: { status_code: number }[] }[];
      expect(delivery!.attempts).toBe(3);
      expect(delivery!.attempts_log.map((a) => a.status_code)).toEqual([500, 503, 204]);
    } finally {
      await hook.close();
    }
  });

  it('never holds up the pipeline for a receiver that is down, and gives up after the last attempt', async () => {
    const created = await http('POST', '/api/webhooks', {
      url: await closedUrl('/down'),
      min_severity: 'info',
    });
    const causes = Array.from({ length: 20 }, (_, i) => anomaly({ product_id: `P${100 + i}` }));
    await publish(...causes);
    await handled(20);
    expect((await list()).total).toBe(20);
    const log = await eventually(
      async () => (await http('GET', `/api/webhooks/${created.body.id as string}/deliveries?limit=100`)).body,
      (b) => (b.items as { status: string }[]).filter((d) => d.status === 'failed').length === 20,
      'every delivery given up',
    );
    const [d] = log.items as { attempts: number; attempts_log: { error: string }[] }[];
    expect(d!.attempts).toBe(4);
    expect(d!.attempts_log[0]!.error).toContain('ECONNREFUSED');
  });

  it('streams every change live, and what was missed after Last-Event-ID', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/api/notifications/stream`;
    const live = readEvents(url, 2);
    await new Promise((resolve) => setTimeout(resolve, 200)); // connected
    await publish(anomaly(), anomaly({ product_id: 'P002' }));
    const events = await live;
    expect(events.map((e) => [e.event, e.data.change, e.data.product_id])).toEqual([
      ['notification', 'opened', 'P001'],
      ['notification', 'opened', 'P002'],
    ]);
    const [n] = (await list('?product=P001')).items;
    await http('POST', `/api/notifications/${n!.id}/ack`, { by: 'sam' });
    const missed = await readEvents(url, 1, events[1]!.id);
    expect(missed.map((e) => [e.data.change, e.data.id])).toEqual([['acknowledged', n!.id]]);
  });

  it('explains a notification from its anomalies, the product’s history and what it does not know', async () => {
    await publish(
      anomaly(),
      anomaly({ type: 'negative_stock', explanation: 'P001 (Books) at NYC reported -4 units.' }),
    );
    await handled(2);
    const [n] = (await list('?type=price_spike')).items;
    const { status, body } = await http('GET', `/api/notifications/${n!.id}/explain`);
    expect(status).toBe(200);
    const text = body.explanation as string;
    expect(text).toContain('Price spike: P001 at NYC: seen once');
    expect(text).toContain('What was found: P001 (Books) at NYC was priced 80.00');
    expect(text).toContain('had: 1 price spike, 1 negative stock.');
    expect(text).toContain('Its current stock is unknown right now (the processor did not answer).');
    expect(text).toContain('It has no forecast yet.');
  });
});
