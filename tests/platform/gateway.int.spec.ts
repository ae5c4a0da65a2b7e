import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readEvents } from '../../services/notifier/test/support.js';
import { getJson, Platform, post, until } from '../support/platform.js';

type Overview = {
  services: Record<string, { status: string }>;
  kpis: Record<string, number | string | null>;
  unavailable?: string[];
};

/** Every service but the forecaster and the dashboard, as real processes, through the gateway in test mode. */
describe('gateway: overview, live stream and test mode over the whole platform', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await Platform.start(['processor', 'ingest', 'anomaly', 'notifier', 'gateway'], {
      TEST_MODE: 'on',
      PROCESSOR_FLUSH_MS: '20',
      NOTIFIER_TICK_MS: '50',
    });
    const job = await post(`${p.gateway}/api/generate`, {
      days: 15,
      stores: 2,
      products: 6,
      categories: 2,
      seed: 3,
      end: '2026-01-01',
    });
    await until(
      () => getJson<{ status: string }>(`${p.gateway}/api/jobs/${job.body.job_id as string}`),
      (j) => j.status === 'succeeded',
      'the history',
    );
  }, 60_000);
  afterAll(() => p.stop());

  const api = (path: string) => `${p.gateway}/api${path}`;

  it('sums up every service, with tiles that match the services’ own answers', async () => {
    const overview = await until(
      () => getJson<Overview>(api('/overview')),
      (o) => o.kpis.products === 12,
      'every product in stock',
    );
    expect(
      Object.fromEntries(Object.entries(overview.services).map(([name, s]) => [name, s.status])),
    ).toEqual({
      ingest: 'up',
      processor: 'up',
      forecaster: 'down', // not started here (no tile reads it)
      anomaly: 'up',
      notifier: 'up',
    });
    expect(overview.unavailable).toBeUndefined();
    // the processor may still be applying the last days: compare once both say the same
    const both = () =>
      Promise.all([
        getJson<Overview>(api('/overview')),
        getJson<{ items: { quantity: number; price: number }[] }>(api('/inventory?limit=100')),
      ]);
    const valueOf = (items: { quantity: number; price: number }[]) =>
      items.reduce((s, i) => s + Math.max(0, i.quantity) * i.price, 0);
    const [settled, inventory] = await until(
      both,
      ([o, inv]) =>
        o.kpis.events_total === 15 * 12 &&
        String(o.kpis.latest_event_at).startsWith('2025-12-31') &&
        Math.abs((o.kpis.total_stock_value as number) - valueOf(inv.items)) < 0.05,
      'the overview and the inventory to agree',
    );
    expect(settled.kpis.products_out).toBe(inventory.items.filter((i) => i.quantity <= 0).length);
    expect(settled.kpis.products).toBe(12);
  });

  it('injects labelled anomalies, relays them live, and scores their detection', async () => {
    // everything relayed for 5 s: window updates, the anomalies and the notifications they make
    const live = readEvents(api('/stream'), 1000, undefined, 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const injected = await post(api('/test-mode/anomalies'), {
      count: 4,
      kinds: ['price_spike', 'negative_stock', 'gibberish_description', 'quantity_spike'],
      seed: 9,
    });
    expect(injected.status).toBe(201);
    expect(injected.body).toMatchObject({ injected: 4, job_id: expect.stringMatching(/^ingest-/) });
    const events = await live;
    expect(new Set(events.map((e) => e.event))).toEqual(new Set(['metrics', 'anomaly', 'notification']));
    const anomalies = events.filter((e) => e.event === 'anomaly').map((e) => e.data.type);
    expect(anomalies).toEqual(
      expect.arrayContaining([
        'price_spike',
        'negative_stock',
        'gibberish_description',
        'unexplained_increase',
      ]),
    );
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const score = await until(
      () =>
        getJson<{ labelled: number; overall: { all: { recall: number } } }>(
          api(`/test-mode/score?job_id=${injected.body.job_id as string}`),
        ),
      (s) => s.labelled === 4 && s.overall.all.recall === 1,
      'all four detected',
    );
    expect(score.overall.all.recall).toBe(1);

    // a client that reconnects gets what it missed
    const missed = await readEvents(api('/stream'), 1, events.at(-2)!.id);
    expect(missed[0]!.id).toBe(events.at(-1)!.id);
  });

  it('documents the whole API at /docs, each route from its owner’s schemas', async () => {
    const spec = await until(
      () =>
        getJson<{
          paths: Record<string, Record<string, { tags: string[]; parameters?: { name: string }[] }>>;
        }>(`${p.gateway}/docs/json`),
      (s) =>
        ['/api/notifications/{id}/ack', '/api/events', '/api/metrics', '/api/anomalies'].every((path) =>
          Object.keys(s.paths).includes(path),
        ),
      'every service’s routes in the document',
    );
    expect(spec.paths['/api/overview']!.get!.tags).toEqual(['gateway']);
    expect(spec.paths['/api/events']!.post!.tags).toEqual(['ingest']);
    expect(spec.paths['/api/metrics']!.get!.parameters!.map((q) => q.name)).toEqual(
      expect.arrayContaining(['store', 'category', 'window']),
    );
    expect(Object.keys(spec.paths).some((path) => !path.startsWith('/api/'))).toBe(false);
    const ui = await fetch(`${p.gateway}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('answers for the rest when a service stops, and says which', async () => {
    await p.kill('notifier');
    // a reading of the services serves the overview for up to OVERVIEW_MAX_AGE_MS (1 s): the next one says so
    const overview = await until(
      () => getJson<Overview>(api('/overview')),
      (o) => o.services.notifier!.status === 'down',
      'the overview to see the notifier down',
      3000,
    );
    expect(overview.services.processor!.status).toBe('up');
    expect(overview.kpis.open_alerts).toBeNull();
    expect(overview.kpis.products).toBe(12);
    expect(overview.unavailable).toEqual(expect.arrayContaining([expect.stringMatching(/^notifier: /)]));
    expect((await fetch(api('/notifications'))).status).toBe(503);
    expect((await fetch(api('/inventory'))).status).toBe(200);
  });
});
