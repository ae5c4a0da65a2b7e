import { expect } from '@jest/globals';
import { getJson, post, until, type Platform } from './platform.js';

/** What the gateway answers: the proof tests of partitions compare these (partitions-equal, repartition). */
export type Item = Record<string, unknown>;

const all = (p: Platform, path: string, limit = path.startsWith('/api/notifications') ? 1000 : 10_000) =>
  getJson<{ items: Item[]; total: number }>(
    `${p.gateway}${path}${path.includes('?') ? '&' : '?'}limit=${limit}`,
  );

/** Waits until every service has settled: the same totals twice, a second apart. */
export async function settled(p: Platform): Promise<void> {
  let last = '';
  await until(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = JSON.stringify(
        await Promise.all(
          ['/api/inventory', '/api/metrics?window=day', '/api/anomalies', '/api/notifications'].map((q) =>
            all(p, q).then((l) => l.total),
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
}

/**
 * Forecasts asked for through the gateway (a job on every replica, one id) until two runs agree: the
 * forecaster replicas have then read every store's demand. The forecasts, the job's count and the leaderboard.
 */
export async function forecastsAgreed(p: Platform) {
  const forecasts = async () => {
    const run = await post(`${p.gateway}/api/forecasts/run`, { horizon: 7 });
    expect(run.status).toBe(202);
    const done = await until(
      () => getJson<Item>(`${p.gateway}/api/jobs/${run.body.job_id as string}`),
      (j) => j.status === 'succeeded',
      'the forecast job',
      120_000,
    );
    const list = await all(p, '/api/forecasts', 1000);
    return {
      series: (done.result as { series: number }).series,
      total: list.total,
      items: list.items.map(({ generated_at: _at, series_id: _id, ...f }) => f),
      models: await getJson(`${p.gateway}/api/models`),
    };
  };
  let forecast = await forecasts();
  for (let runs = 1, again = await forecasts(); JSON.stringify(again) !== JSON.stringify(forecast); runs++) {
    if (runs === 4) throw new Error('forecasts still changing after 4 runs');
    [forecast, again] = [again, await forecasts()];
  }
  return forecast;
}

const anomaly = (a: Item) =>
  [a.event_id, a.detector, a.type, a.severity, a.score, a.store_location, a.product_id].join('|');
const notification = (x: Item) =>
  [x.type, x.severity, x.status, x.store_location, x.product_id, x.count, x.title].join('|');
/** When a window was last written is the processor's clock, not a figure. */
const figures = (l: { items: Item[]; total: number }) => ({
  ...l,
  items: l.items.map(({ updated_at: _, ...i }) => i),
});

/** The gateway's answers, those that do not depend on the clock (when a window was written, a rate). */
export async function answersOf(p: Platform) {
  const store = String((await all(p, '/api/inventory')).items[0]!.store_location);
  return {
    inventory: await all(p, '/api/inventory'),
    inventoryPage: await getJson(`${p.gateway}/api/inventory?offset=7&limit=9`),
    metrics: figures(await all(p, '/api/metrics?window=day')),
    metricsPage: figures(await getJson(`${p.gateway}/api/metrics?window=day&offset=30&limit=25`)),
    oneStore: figures(
      await getJson(`${p.gateway}/api/metrics?window=day&store=${encodeURIComponent(store)}&limit=5`),
    ),
    tiles: await getJson<{ kpis: Item }>(`${p.gateway}/api/overview`).then(({ kpis }) => {
      const { events_per_second: _rate, latest_received_at: _at, ...figures } = kpis;
      return figures;
    }),
    anomalies: (await all(p, '/api/anomalies')).items.map(anomaly).sort(),
    notifications: (await all(p, '/api/notifications')).items.map(notification).sort(),
  };
}
