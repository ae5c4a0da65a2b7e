import { describe, expect, it } from '@jest/globals';
import { busesUnderTest, getJson, Platform, post, until } from '../support/platform.js';

type Item = Record<string, unknown>;
const SERVICES = ['processor', 'anomaly', 'notifier'];

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
    { PARTITIONS: String(n), PROCESSOR_FLUSH_MS: '20', NOTIFIER_TICK_MS: '50' },
    bus,
  );
  try {
    const job = await post(`${p.gateway}/api/generate`, {
      days: 20,
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
    };
  } finally {
    await p.stop();
  }
}

/** The same events through one partition and through three: the gateway's answers do not depend on N. */
describe.each(busesUnderTest())('answers that do not depend on PARTITIONS (%s bus)', (bus) => {
  it('gives the same inventory, metrics, overview tiles, anomalies and notifications with 1 and with 3 partitions', async () => {
    const one = await answers(1, bus);
    const three = await answers(3, bus);
    expect(one.inventory.total).toBe(36);
    expect((one.oneStore as { items: unknown[] }).items).toHaveLength(5);
    expect(one.anomalies.length).toBeGreaterThan(0);
    expect(one.notifications.length).toBeGreaterThan(0);
    expect(three).toEqual(one);
  }, 400_000);
});
