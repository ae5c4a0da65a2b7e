import { describe, expect, it } from '@jest/globals';
import { busesUnderTest, getJson, Platform, post, until } from '../support/platform.js';

type Item = Record<string, unknown>;
const SERVICES = ['processor', 'forecaster', 'anomaly', 'notifier'];

/** The platform with `n` partitions: one replica of each stateful service per partition. */
const names = (n: number) => [
  'ingest',
  'gateway',
  ...SERVICES.flatMap((s) => Array.from({ length: n }, (_, i) => `${s}@${i}`)),
];

/** What the gateway answers after the same seeded history, once every service has settled. */
async function answers(n: number, bus: 'embedded' | 'pulsar') {
  const p = await Platform.start(
    names(n),
    {
      PARTITIONS: String(n),
      PROCESSOR_FLUSH_MS: '20',
      NOTIFIER_TICK_MS: '50',
      // forecasts only when asked (below), from every store's demand
      FORECAST_INTERVAL_MS: '3600000',
      FORECAST_THREADS: '1',
    },
    bus,
  );
  try {
    const job = await post(`${p.gateway}/api/generate`, {
      days: 60,
      stores: 6,
      products: 6,
      categories: 3,
      seed: 18,
      anomalies: 24,
    });
    await until(
      () => getJson<{ status: string }>(`${p.gateway}/api/jobs/${job.body.job_id as string}`),
      (j) => j.status === 'succeeded',
      'the history',
      60_000,
    );
    const all = (path: string, limit = path.startsWith('/api/notifications') ? 1000 : 10_000) =>
      getJson<{ items: Item[]; total: number }>(
        `${p.gateway}${path}${path.includes('?') ? '&' : '?'}limit=${limit}`,
      );
    // settled: the same answers twice, a second apart
    let last = '';
    await until(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const now = JSON.stringify(
          await Promise.all(
            ['/api/inventory', '/api/metrics?window=day', '/api/anomalies', '/api/notifications'].map((q) =>
              all(q).then((l) => l.total),
            ),
          ),
        );
        const same = now === last;
        last = now;
        return same;
      },
      (same) => same,
      'every service settled',
      120_000,
    );
    const anomaly = (a: Item) =>
      [a.event_id, a.detector, a.type, a.severity, a.score, a.store_location, a.product_id].join('|');
    const notification = (x: Item) =>
      [x.type, x.severity, x.status, x.store_location, x.product_id, x.count, x.title].join('|');
    // when a window was last written is the processor's clock, not a figure
    const figures = (l: { items: Item[]; total: number }) => ({
      ...l,
      items: l.items.map(({ updated_at: _, ...i }) => i),
    });
    // forecasts asked for through the gateway (a job on every replica, one id) until two runs agree: the
    // forecaster replicas have then read every store's demand
    const forecasts = async () => {
      const run = await post(`${p.gateway}/api/forecasts/run`, { horizon: 7 });
      expect(run.status).toBe(202);
      const done = await until(
        () => getJson<Item>(`${p.gateway}/api/jobs/${run.body.job_id as string}`),
        (j) => j.status === 'succeeded',
        'the forecast job',
        120_000,
      );
      const list = await all('/api/forecasts', 1000);
      return {
        series: (done.result as { series: number }).series,
        total: list.total,
        items: list.items.map(({ generated_at: _at, series_id: _id, ...f }) => f),
        models: await getJson(`${p.gateway}/api/models`),
      };
    };
    let forecast = await forecasts();
    for (
      let runs = 1, again = await forecasts();
      JSON.stringify(again) !== JSON.stringify(forecast);
      runs++
    ) {
      if (runs === 4) throw new Error('forecasts still changing after 4 runs');
      [forecast, again] = [again, await forecasts()];
    }
    const store = String((await all('/api/inventory')).items[0]!.store_location);
    return {
      inventory: await all('/api/inventory'),
      inventoryPage: await getJson(`${p.gateway}/api/inventory?offset=7&limit=9`),
      metrics: figures(await all('/api/metrics?window=day')),
      metricsPage: figures(await getJson(`${p.gateway}/api/metrics?window=day&offset=30&limit=25`)),
      oneStore: figures(
        await getJson(`${p.gateway}/api/metrics?window=day&store=${encodeURIComponent(store)}&limit=5`),
      ),
      tiles: await getJson<{ kpis: Item }>(`${p.gateway}/api/overview`).then(({ kpis }) => {
        const { events_per_second: _rate, latest_received_at: _at, ...figures } = kpis;
        return figures;
      }),
      anomalies: (await all('/api/anomalies')).items.map(anomaly).sort(),
      notifications: (await all('/api/notifications')).items.map(notification).sort(),
      forecast,
    };
  } finally {
    await p.stop();
  }
}

/** The same events through one partition and through three: the gateway's answers do not depend on N. */
describe.each(busesUnderTest())('answers that do not depend on PARTITIONS (%s bus)', (bus) => {
  it('gives the same inventory, metrics, overview tiles, anomalies, notifications, forecasts and models leaderboard with 1 and with 3 partitions', async () => {
    const one = await answers(1, bus);
    const three = await answers(3, bus);
    expect(one.inventory.total).toBe(36);
    expect((one.oneStore as { items: unknown[] }).items).toHaveLength(5);
    expect(one.anomalies.length).toBeGreaterThan(0);
    expect(one.notifications.length).toBeGreaterThan(0);
    // every product and category series of the 6 stores, forecast and scored
    expect(one.forecast.series).toBe(36 + 18);
    expect(one.forecast.total).toBe(54);
    // the level models learned across every store: with 3 partitions too, not from a replica's stores alone
    const global = (one.forecast.models as { items: Item[] }).items.find(
      (m) => m.level === 'product' && m.model === 'Global',
    );
    expect(global).toMatchObject({ series: 36, failed: 0, mase: expect.any(Number) });
    expect(one.forecast.models).toMatchObject({
      items: expect.arrayContaining([
        expect.objectContaining({ model: 'SeasonalNaive', level: 'product', series: 36 }),
      ]),
    });
    expect(three).toEqual(one);
  }, 400_000);
});
