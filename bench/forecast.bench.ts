/**
 * `pnpm bench:forecast`: forecast quality and speed through the forecaster's own code (BENCH_FORECAST picks
 * phases, default all: accuracy,speed,service,scale).
 * - accuracy: the last 90 days of each set held out — store-item-demand's 82 series (also with every costly
 *   model fitted, no screen), retail-store-inventory's 5 category series, and an intermittent set (the 82
 *   thinned to 1–3 % of their units); every model alone, the automatic choice, interval coverage.
 * - speed: the automatic race on 200 series of a catalogue built from store-item-demand, in the forecaster's
 *   threads, next to the previous version's race on the same series (BENCH_OLD_FORECASTER: its source).
 * - service: store-item-demand posted as events, a 90-day forecast asked for through the gateway, scored.
 * - scale: 10,000 series (BENCH_SCALE_SERIES) retrained by the service while live events flow and a client
 *   reads, next to the same flow without training.
 * Prints figures; fails on no threshold.
 */
import { DEFAULT_MODELS } from '../services/forecaster/src/models/names.js';
import { createForecastPool } from '../services/forecaster/src/workers/pool.js';
import { accuracyOf, previousOn, printAccuracy } from './forecast/accuracy.js';
import { oldRace } from './forecast/old.js';
import { forecastSet } from './forecast/run.js';
import { scaleWhileFlowing } from './forecast/scale.js';
import { accuracyThroughService } from './forecast/service.js';
import { catalogue, categories, intermittent, storeItem } from './forecast/sets.js';
import { fmt, report } from './support/report.js';

const phases = (process.env.BENCH_FORECAST ?? 'accuracy,speed,service,scale').split(',');
const THREADS = 2;
/** The previous version's figures (BENCHMARKS.md, before the global model). */
const PREVIOUS = { mase: 0.755, smape: 14.4, seriesPerSecond: 3.41 };

if (phases.includes('accuracy')) {
  const pool = createForecastPool(THREADS);
  const options = { horizon: 90, windows: 3, models: DEFAULT_MODELS };
  const a = await accuracyOf(pool, storeItem(), options);
  const before = await previousOn(storeItem());
  printAccuracy('store-item-demand: 82 series, last 90 days held out', a, before);
  const full = await accuracyOf(pool, storeItem(), { ...options, screen: false });
  console.log(
    `the same without the screen (every costly model fitted on every series): MASE ${full.table['automatic choice']!.mase.toFixed(3)}, ` +
      `SMAPE ${full.table['automatic choice']!.smape.toFixed(2)}, in ${fmt(full.seconds, 1)} s against ${fmt(a.seconds, 1)} s`,
  );
  const auto = a.table['automatic choice']!;
  report({
    bench: 'forecast',
    name: 'automatic choice MASE (store-item-demand)',
    value: auto.mase,
    unit: '',
    ceiling: { name: 'SeasonalNaive', value: a.table.SeasonalNaive!.mase },
    target: { op: '<=', value: 0.72 },
    detail: `previous version ${(before?.mase ?? PREVIOUS.mase).toFixed(3)}`,
  });
  report({
    bench: 'forecast',
    name: 'automatic choice SMAPE (store-item-demand)',
    value: auto.smape,
    unit: '%',
    target: { op: '<=', value: 13.5 },
    detail: `previous version ${(before?.smape ?? PREVIOUS.smape).toFixed(2)}`,
  });
  report({
    bench: 'forecast',
    name: 'interval coverage, 80 % band',
    value: a.coverage[80],
    unit: '%',
    detail: `target 75–85 %; 95 % band: ${a.coverage[95].toFixed(1)} % (target 90–97 %)`,
  });
  const cats = await accuracyOf(pool, categories(), options);
  printAccuracy(
    'retail-store-inventory: demand per category (5 series), last 90 days held out',
    cats,
    await previousOn(categories()),
  );
  const slow = await accuracyOf(pool, intermittent(), options);
  const slowBefore = await previousOn(intermittent());
  printAccuracy(
    'intermittent: store-item-demand thinned to 1–3 % of units (82 series), last 90 days held out',
    slow,
    slowBefore,
  );
  report({
    bench: 'forecast',
    name: 'automatic choice MASE (intermittent set)',
    value: slow.table['automatic choice']!.mase,
    unit: '',
    ceiling: { name: 'SeasonalNaive', value: slow.table.SeasonalNaive!.mase },
    ...(slowBefore ? { detail: `previous version ${slowBefore.mase.toFixed(3)}` } : {}),
  });
  await pool.close();
}

if (phases.includes('speed')) {
  const pool = createForecastPool(THREADS);
  const set = catalogue(200, 1461).map((s) => ({ series: s.series, codes: s.codes, key: s.id }));
  await forecastSet(pool, set.slice(0, 4), { horizon: 14, windows: 3, models: DEFAULT_MODELS }); // warm the threads
  const now = await forecastSet(pool, set, { horizon: 14, windows: 3, models: DEFAULT_MODELS });
  await pool.close();
  const old = await oldRace(set, 14);
  report({
    bench: 'forecast',
    name: `automatic race, ${set.length} series of 4 years, horizon 14, ${THREADS} threads`,
    value: set.length / now.seconds,
    unit: 'series/s',
    target: { op: '>=', value: 25 },
    detail:
      (old
        ? `previous version's race on the same series: ${fmt(old.perSecond, 2)} series/s (${fmt(set.length / now.seconds / old.perSecond, 1)}×); `
        : '') +
      `level models ${fmt(now.levelSeconds, 1)} s of ${fmt(now.seconds, 1)} s (the race alone: ${fmt(set.length / (now.seconds - now.levelSeconds))} series/s)`,
  });
}

if (phases.includes('service')) {
  const s = await accuracyThroughService();
  console.log(
    `\nthrough the service: ${s.series} series, chosen ${Object.entries(s.chosen)
      .map(([m, c]) => `${m} ${c}`)
      .join(
        ', ',
      )}; the 90-day job took ${fmt(s.seconds, 1)} s; MASE ${s.mase.toFixed(3)}, SMAPE ${s.smape.toFixed(2)}`,
  );
  report({
    bench: 'forecast',
    name: 'automatic choice MASE through the service (store-item-demand)',
    value: s.mase,
    unit: '',
    target: { op: '<=', value: 0.72 },
    detail: 'previous version 0.82',
  });
  report({
    bench: 'forecast',
    name: 'automatic choice SMAPE through the service',
    value: s.smape,
    unit: '%',
    target: { op: '<=', value: 13.5 },
    detail: `previous version 16.6; coverage 80 % → ${s.c80.toFixed(1)} %, 95 % → ${s.c95.toFixed(1)} %`,
  });
}

if (phases.includes('scale')) {
  const count = Number(process.env.BENCH_SCALE_SERIES ?? 10_000);
  const f = await scaleWhileFlowing(count, 1461, Number(process.env.BENCH_SCALE_RATE ?? 2000));
  report({
    bench: 'forecast',
    name: `service retraining ${fmt(f.series)} series (${fmt(f.seeded)} of 4 years and the live ones) while events flow`,
    value: f.series / f.trainSeconds,
    unit: 'series/s',
    target: { op: '>=', value: 25 },
    detail: `${fmt(f.trainSeconds)} s (target ≤ 400 s for 10,000); previous version ${PREVIOUS.seriesPerSecond} series/s`,
  });
  report({
    bench: 'forecast',
    name: 'forecaster peak RSS while training',
    value: f.peakRssMb,
    unit: 'MB',
    target: { op: '<=', value: 1536 },
  });
  report({
    bench: 'forecast',
    name: 'events applied per second while training',
    value: f.training.perSecond,
    unit: 'events/s',
    ceiling: { name: 'the same stream without training', value: f.baseline.perSecond },
  });
  report({
    bench: 'forecast',
    name: 'gateway reads p99 while training',
    value: f.training.reads.p99,
    unit: 'ms',
    ceiling: { name: 'without training', value: f.baseline.reads.p99 },
    detail: `${f.training.reads.count} reads, ${f.training.reads.refused} refused`,
  });
}
