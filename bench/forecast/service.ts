/**
 * The forecaster as users run it: real processes on the embedded bus (ingest, processor, forecaster,
 * gateway), everything through the public API.
 */
import { readFileSync } from 'node:fs';
import { getJson, Platform, post, until } from '../../tests/support/platform.js';
import { mase, naiveScale, smape, coverage } from '../../services/forecaster/src/domain/metrics.js';
import type { PointRow } from '../../services/forecaster/src/db/forecasts.repository.js';
import { dataset } from '../support/datasets.js';
import { storeItemDemand } from '../support/loads.js';

type Item = {
  product_id?: string;
  store_location: string;
  model: string;
  points: PointRow[];
};

export const servicePlatform = (env: Record<string, string> = {}) =>
  Platform.start(['ingest', 'processor', 'forecaster', 'gateway'], {
    // only the benchmark's own jobs train
    FORECAST_INTERVAL_MS: '86400000',
    ...env,
  });

/** Runs a forecast job through the gateway's API and waits for it: its seconds and the series it trained. */
export async function runJob(gateway: string, body: unknown, timeoutMs: number) {
  const t0 = performance.now();
  const run = await post(`${gateway}/api/forecasts/run`, body);
  if (run.status !== 202) throw new Error(`forecast job refused: ${JSON.stringify(run.body)}`);
  const job = await until(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return getJson<{ status: string; result?: { series: number } }>(
        `${gateway}/api/jobs/${run.body.job_id as string}`,
      );
    },
    (j) => j.status === 'succeeded' || j.status === 'failed',
    'the forecast job',
    timeoutMs,
  );
  if (job.status !== 'succeeded') throw new Error(`forecast job failed: ${JSON.stringify(job)}`);
  return { seconds: (performance.now() - t0) / 1000, series: job.result!.series };
}

/**
 * store-item-demand's series (all but the last 90 days) posted as events, a 90-day forecast asked for, and
 * the automatic choice scored on the held-out days: what a new user would see.
 */
export async function accuracyThroughService() {
  const load = storeItemDemand(10, 10, 90);
  const p = await servicePlatform();
  try {
    for (const body of load.bodies) {
      const r = await post(`${p.gateway}/api/events`, body);
      if (r.status !== 202) throw new Error(`events refused: ${JSON.stringify(r.body).slice(0, 300)}`);
    }
    await until(
      () => getJson<{ left: number; applied: number }>(`${p.gateway}/api/ingestion`),
      (g) => g.left === 0 && g.applied >= load.events,
      'every event applied',
      600_000,
    );
    // the forecaster has every complete day once its series stop changing
    let last = '';
    await until(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        return (await fetch(`${p.url('forecaster')}/metrics`)).text();
      },
      (text) => {
        const pending = /^stockpulse_forecaster_series_pending\{[^}]*\} (\d+)$/m.exec(text)?.[1] ?? '';
        const same = pending === last;
        last = pending;
        return same && pending !== '';
      },
      'the forecaster caught up',
      300_000,
    );
    const { seconds } = await runJob(p.gateway, { horizon: 90 }, 900_000);
    const { items } = await getJson<{ items: Item[] }>(
      `${p.gateway}/api/forecasts?kind=product&horizon=90&limit=1000`,
    );
    const truth = heldOut();
    // the 82 complete series of 2013–2017 (the sample also holds the first 267 days of one more)
    const complete = items.filter(
      (item) => truth.get(`${item.store_location}/${item.product_id}`)!.train.length === 1826 - 90,
    );
    const rows = complete.map((item) => {
      const t = truth.get(`${item.store_location}/${item.product_id}`)!;
      const f = item.points.slice(-90);
      return {
        mase: mase(
          t.test,
          f.map((x) => x.value),
          naiveScale(t.train),
        ),
        smape: smape(
          t.test,
          f.map((x) => x.value),
        ),
        c80: coverage(
          t.test,
          f.map((x) => x.lower_80),
          f.map((x) => x.upper_80),
        ),
        c95: coverage(
          t.test,
          f.map((x) => x.lower_95),
          f.map((x) => x.upper_95),
        ),
        model: item.model,
      };
    });
    const avg = (k: 'mase' | 'smape' | 'c80' | 'c95') => rows.reduce((s, r) => s + r[k], 0) / rows.length;
    const chosen: Record<string, number> = {};
    for (const r of rows) chosen[r.model] = (chosen[r.model] ?? 0) + 1;
    return {
      series: rows.length,
      mase: avg('mase'),
      smape: avg('smape'),
      c80: avg('c80'),
      c95: avg('c95'),
      chosen,
      seconds,
    };
  } finally {
    await p.stop();
  }
}

/** Every store-item-demand series by `store-N/item-M` (the event load's names): training days and held-out days. */
function heldOut() {
  const rows = readFileSync(dataset('store-item-demand/retail_sales_sample.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const byKey = new Map<string, number[]>();
  for (const line of rows) {
    const [, store, item, sales] = line.split(',');
    const key = `store-${store}/item-${item}`;
    (byKey.get(key) ?? byKey.set(key, []).get(key)!).push(Number(sales));
  }
  return new Map([...byKey].map(([k, v]) => [k, { train: v.slice(0, -90), test: v.slice(-90) }]));
}
