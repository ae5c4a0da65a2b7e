import { expect } from '@jest/globals';
import { getJson, post, until, type Platform } from './platform.js';

/** What the gateway answers: the proof tests of partitions compare these (partitions-equal, repartition). */
export type Item = Record<string, unknown>;

const all = (p: Platform, path: string, limit = path.startsWith('/api/notifications') ? 1000 : 10_000) =>
  getJson<{ items: Item[]; total: number }>(
    `${p.gateway}${path}${path.includes('?') ? '&' : '?'}limit=${limit}`,
  );

/** The partitions tests' environment: forecasts only when asked for (forecastsAgreed), from every store's demand. */
export const PROOF_ENV = {
  PROCESSOR_FLUSH_MS: '20',
  NOTIFIER_TICK_MS: '50',
  FORECAST_INTERVAL_MS: '3600000',
  FORECAST_THREADS: '1',
};

/** A seeded history of `stores` × 6 products over `days` days (3 categories), generated and sent by ingest. */
export async function history(p: Platform, seed: number, days: number, stores: number, anomalies: number) {
  const job = await post(`${p.gateway}/api/generate`, {
    days,
    stores,
    products: 6,
    categories: 3,
    seed,
    anomalies,
  });
  await until(
    () => getJson<{ status: string }>(`${p.gateway}/api/jobs/${job.body.job_id as string}`),
    (j) => j.status === 'succeeded',
    'the history',
    60_000,
  );
}

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
 * forecaster replicas have then read every store's demand. The forecasts (with each series' last 30 days of
 * demand), the job's count and the leaderboard.
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
    const list = await all(p, '/api/forecasts?history_days=30', 1000);
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

/** Events of the gateway's notification stream, read until `done` holds (or 30 s pass). */
async function streamUntil(
  p: Platform,
  lastEventId: string | undefined,
  done: (events: { id: string; data: string }[]) => boolean,
) {
  const aborts = new AbortController();
  const timer = setTimeout(() => aborts.abort(), 30_000);
  const res = await fetch(`${p.gateway}/api/notifications/stream`, {
    headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: aborts.signal,
  });
  const events: { id: string; data: string }[] = [];
  let buffer = '';
  try {
    for await (const chunk of res.body! as AsyncIterable<Uint8Array>) {
      buffer += Buffer.from(chunk).toString('utf8');
      for (let cut; (cut = buffer.indexOf('\n\n')) >= 0; buffer = buffer.slice(cut + 2)) {
        const lines = buffer.slice(0, cut).split('\n');
        const data = lines.find((l) => l.startsWith('data:'));
        if (data)
          events.push({
            id: lines
              .find((l) => l.startsWith('id:'))!
              .slice(3)
              .trim(),
            data,
          });
      }
      if (done(events)) break;
    }
  } catch {
    // aborted: the events so far
  } finally {
    clearTimeout(timer);
    aborts.abort();
  }
  return events;
}

/**
 * The gateway's notification stream, live and resumed: an acknowledgement appears on it; after a reconnect with
 * the last event's id, an acknowledgement made meanwhile appears first and nothing seen before comes again.
 */
export async function streamResumes(p: Platform) {
  const open = (await all(p, '/api/notifications?status=open')).items.map((n) => String(n.id));
  expect(open.length).toBeGreaterThanOrEqual(2);
  // its acknowledgement (a notification changes otherwise too: repeated signals)
  const about = (id: string) => (e: { data: string }) =>
    e.data.includes(`"id":"${id}","change":"acknowledged"`);
  const live = streamUntil(p, undefined, (events) => events.some(about(open[0]!)));
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect((await post(`${p.gateway}/api/notifications/${open[0]!}/ack`, { by: 'stream' })).status).toBe(200);
  const first = await live;
  const seen = first.find(about(open[0]!));
  expect((await post(`${p.gateway}/api/notifications/${open[1]!}/ack`, { by: 'stream' })).status).toBe(200);
  const resumed = await streamUntil(p, first.at(-1)!.id, (events) => events.some(about(open[1]!)));
  return {
    live: Boolean(seen),
    resumedWithTheNew: resumed.some(about(open[1]!)),
    resumedWithTheOld: resumed.some(about(open[0]!)),
  };
}
