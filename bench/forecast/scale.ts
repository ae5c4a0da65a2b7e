/**
 * 10,000 series retrained by the forecaster service while the pipeline keeps flowing: the catalogue's
 * demand written into the forecaster's store (as its inbox would have), then, with a steady stream of live
 * events through ingest and the processor and a client reading through the gateway, one job retraining
 * every series; the same stream without training first, for comparison.
 */
import { join } from 'node:path';
import { openDatabase } from '@stockpulse/service-kit';
import { migrations } from '../../services/forecaster/src/db/migrations.js';
import { createDemandRepository } from '../../services/forecaster/src/db/demand.repository.js';
import { getJson, post, type Platform } from '../../tests/support/platform.js';
import { generated } from '../support/loads.js';
import { peakRssMb, resetPeak } from '../support/process-stats.js';
import { readProbe, type ReadFigures } from '../support/reads.js';
import { runJob, servicePlatform } from './service.js';
import { catalogue } from './sets.js';

/** Writes the catalogue's days into the forecaster's store, store by store and day by day. */
export function seedForecaster(file: string, count: number, days: number) {
  const db = openDatabase(file, migrations);
  const demand = createDemandRepository(db);
  // ending where the live stream's days end (2025-06-01), so that one set of global models serves both
  const set = catalogue(count, days, 9, '2025-06-01');
  const byStoreDay = new Map<
    string,
    { product_id: string; category: string; units_sold: number; units_received: number }[]
  >();
  for (const s of set) {
    const [store, product] = s.id.split('/') as [string, string];
    s.series.dates.forEach((date, i) => {
      const key = `${store}|${date}`;
      (byStoreDay.get(key) ?? byStoreDay.set(key, []).get(key)!).push({
        product_id: product,
        category: `C${s.codes[1]}`,
        units_sold: s.series.values[i]!,
        units_received: 0,
      });
    });
  }
  const write = db.transaction(
    (entries: [string, typeof byStoreDay extends Map<string, infer V> ? V : never][]) => {
      for (const [key, products] of entries) {
        const [store_location, date] = key.split('|') as [string, string];
        demand.record(
          { kind: 'daily_demand', store_location, date, products, updated_at: new Date().toISOString() },
          14,
          true,
        );
      }
    },
  );
  const entries = [...byStoreDay];
  for (let i = 0; i < entries.length; i += 500) write(entries.slice(i, i + 500));
  db.close();
  return set.length;
}

/** Live events at `rate` a second (bodies of 1,000), and the processor's applied count over the time. */
function stream(p: Platform, bodies: string[], rate: number) {
  let running = true;
  let sent = 0;
  const loop = (async () => {
    while (running && sent < bodies.length) {
      const t0 = performance.now();
      await post(`${p.gateway}/api/events`, bodies[sent++]!);
      const wait = (1000 * 1000) / rate - (performance.now() - t0);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return sent * 1000;
    },
  };
}

const applied = async (p: Platform) =>
  (await getJson<{ applied: number }>(`${p.gateway}/api/ingestion`)).applied;

export interface ScaleFigures {
  /** Series of the catalogue written in; `series` is every series the job trained (with the live ones). */
  seeded: number;
  series: number;
  trainSeconds: number;
  peakRssMb: number;
  baseline: { perSecond: number; reads: ReadFigures };
  training: { perSecond: number; reads: ReadFigures };
}

export async function scaleWhileFlowing(
  count: number,
  days: number,
  rate: number,
  baselineSeconds = 60,
): Promise<ScaleFigures> {
  const p = await servicePlatform();
  try {
    await p.kill('forecaster', 'SIGTERM');
    const seeded = seedForecaster(join(p.dataDir, 'ml_metrics.db'), count, days);
    await p.startService('forecaster');
    const load = generated('live', { stores: 10, products: 100, categories: 10, days: 900, seed: 3 });
    const measure = async (run: () => Promise<unknown>) => {
      const a0 = await applied(p);
      const t0 = performance.now();
      const reads = readProbe(p.gateway);
      await run();
      const figures = await reads.stop();
      return { perSecond: ((await applied(p)) - a0) / ((performance.now() - t0) / 1000), reads: figures };
    };
    const live = stream(p, load.bodies, rate);
    const baseline = await measure(
      () => new Promise((resolve) => setTimeout(resolve, baselineSeconds * 1000)),
    );
    resetPeak(p.pid('forecaster'));
    let job = { seconds: 0, series: 0 };
    const training = await measure(async () => (job = await runJob(p.gateway, {}, 3_600_000)));
    await live.stop();
    return {
      seeded,
      series: job.series,
      trainSeconds: job.seconds,
      peakRssMb: peakRssMb(p.pid('forecaster')),
      baseline,
      training,
    };
  } finally {
    await p.stop();
  }
}
