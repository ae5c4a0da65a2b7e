import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { message, type ForecastPayload } from '@stockpulse/contracts';
import { loadConfig } from '@stockpulse/service-kit';
import { buildTestApp, eventually, type TestApp } from '@stockpulse/service-kit/testing';
import { buildApp, migrations } from '../src/app.js';
import { NotifierConfig } from '../src/config.js';
import { forecast, receiver } from './support.js';

// the defaults: a digest per store and type, a condition notifies on its second forecast in a row
const config = loadConfig(NotifierConfig, {
  PROCESSOR_URL: 'http://127.0.0.1:9',
  NOTIFIER_TICK_MS: '20',
  WEBHOOK_BACKOFF_MS: '20',
});
const meta = { producer: 'test' };
type Item = Record<string, unknown> & { id: string; status: string; products: string[]; title: string };

describe('alerts that do not flood', () => {
  let t: TestApp;
  let sent = 0;
  beforeEach(async () => {
    t = await buildTestApp((deps) => buildApp(deps, config), { name: 'notifier', migrations });
    sent = 0;
  });
  afterEach(() => t.close());

  const http = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: res.statusCode, body: res.body ? res.json<Record<string, unknown>>() : {} };
  };
  const lowStock = async () =>
    ((await http('GET', '/api/notifications?type=below_reorder_point')).body.items ?? []) as Item[];
  /** Each forecast in turn, handled before the next. */
  const send = async (...forecasts: ForecastPayload[]) => {
    for (const f of forecasts) await t.bus.publishMany([message('stockpulse.forecasts', f, meta)]);
    sent += forecasts.length;
    await eventually(
      () => t.db!.prepare('SELECT COUNT(*) FROM inbox').pluck().get() as number,
      (c) => c === sent,
      `${sent} forecasts handled`,
    );
  };
  const changes = async (id: string) =>
    (
      (await http('GET', `/api/notifications/${id}`)).body.history as {
        change: string;
        note: string | null;
      }[]
    ).map((h) => h.change);

  it('groups one store’s low stock into one digest that updates in place and resolves when the last recovers', async () => {
    await send(forecast('P1', 3), forecast('P2', 12), forecast('P3', 50));
    expect(await lowStock()).toEqual([]); // seen once: still pending
    await send(forecast('P1', 2), forecast('P2', 11), forecast('P3', 50));
    const [first, ...others] = await lowStock();
    let digest = first;
    expect(others).toEqual([]);
    expect(digest).toMatchObject({
      status: 'open',
      store_location: 'NYC',
      products: ['P1', 'P2'],
      title: 'Below reorder point: 2 products at NYC',
      message:
        '2 products at NYC: P1 (Books) 2 on hand, reorder point 20, order 40; P2 (Books) 11 on hand, reorder point 20, order 40.',
    });
    await send(forecast('P2', 30));
    [digest] = await lowStock();
    expect(digest).toMatchObject({
      status: 'open',
      products: ['P1'],
      title: 'Below reorder point: 1 product at NYC',
    });
    await send(forecast('P1', 25));
    [digest] = await lowStock();
    expect(digest!.status).toBe('resolved');
    expect(await changes(digest!.id)).toEqual(['opened', 'updated', 'updated', 'cleared']);
  });

  it('does not notify a condition that flaps inside its pending period', async () => {
    await send(
      forecast('P1', 3),
      forecast('P1', 30),
      forecast('P1', 3),
      forecast('P1', 30),
      forecast('P1', 3),
    );
    expect(await lowStock()).toEqual([]);
    await send(forecast('P1', 3));
    expect((await lowStock()).map((n) => n.products)).toEqual([['P1']]);
  });

  it('routes webhooks by store and severity, and stays quiet in a mute window while notifications still open', async () => {
    const hook = await receiver([204]);
    try {
      const created = await http('POST', '/api/webhooks', {
        url: hook.url,
        min_severity: 'info',
        stores: ['LA'],
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect((await http('PATCH', `/api/webhooks/${id}`, { min_severity: 'bogus' })).status).toBe(400);
      expect((await http('PATCH', `/api/webhooks/${id}`, {})).status).toBe(400);
      expect((await http('PATCH', `/api/webhooks/wh-none`, { stores: [] })).status).toBe(404);
      const badMute = await http('POST', '/api/mutes', {
        store_location: 'SF',
        starts_at: '2030-01-02T00:00:00Z',
        ends_at: '2030-01-01T00:00:00Z',
      });
      expect(badMute).toMatchObject({ status: 400, body: { error: { details: [{ field: 'ends_at' }] } } });
      const mute = await http('POST', '/api/mutes', {
        store_location: 'SF',
        ends_at: new Date(Date.now() + 3_600_000).toISOString(),
        reason: 'stocktake',
      });
      expect(mute.status).toBe(201);
      expect((await http('PATCH', `/api/webhooks/${id}`, { stores: ['LA', 'SF'] })).body).toMatchObject({
        stores: ['LA', 'SF'],
        min_severity: 'info',
      });

      for (const store of ['NYC', 'SF', 'LA']) await send(forecast('P1', 3, store), forecast('P1', 2, store));
      expect((await lowStock()).map((n) => n.store_location).sort()).toEqual(['LA', 'NYC', 'SF']);
      await eventually(
        () => hook.received.length,
        (n) => n >= 1,
        'a delivery',
      );
      await new Promise((r) => setTimeout(r, 200)); // time for a wrong delivery to arrive too
      expect(
        hook.received.map((r) => (JSON.parse(r.body) as { notification: Item }).notification.store_location),
      ).toEqual(['LA']);
      const sf = (await lowStock()).find((n) => n.store_location === 'SF')!;
      const history = (await http('GET', `/api/notifications/${sf.id}`)).body.history as { note: string }[];
      expect(history[0]!.note).toBe(`webhooks muted (${mute.body.id as string}: stocktake)`);

      expect((await http('DELETE', `/api/mutes/${mute.body.id as string}`)).status).toBe(204);
      // a product joining the digest updates it in place (no call); its resolution, unmuted, is delivered
      await send(
        forecast('P2', 3, 'SF'),
        forecast('P2', 2, 'SF'),
        forecast('P1', 30, 'SF'),
        forecast('P2', 30, 'SF'),
      );
      await eventually(
        () => hook.received.length,
        (n) => n === 2,
        'the SF digest’s resolution delivered',
      );
      const said = hook.received.map((r) => JSON.parse(r.body) as { event: string; notification: Item });
      expect(said.map((s) => [s.event, s.notification.store_location])).toEqual([
        ['notification.opened', 'LA'],
        ['notification.cleared', 'SF'],
      ]);
      expect(await changes(sf.id)).toEqual(['opened', 'updated', 'updated', 'cleared']);
    } finally {
      await hook.close();
    }
  });
});
