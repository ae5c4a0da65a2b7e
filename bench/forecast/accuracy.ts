import {
  bias,
  coverage,
  mase,
  naiveScale,
  smape,
  wape,
} from '../../services/forecaster/src/domain/metrics.js';
import { LEVEL_MODELS, MODELS } from '../../services/forecaster/src/models/registry.js';
import type { ForecastPool } from '../../services/forecaster/src/workers/pool.js';
import { oldRace } from './old.js';
import { forecastSet, H, split, type RaceOptions } from './run.js';
import type { SetSeries } from './sets.js';

const avg = (xs: number[]) => {
  const ok = xs.filter(Number.isFinite);
  return ok.reduce((a, b) => a + b, 0) / ok.length;
};

export interface Accuracy {
  mase: number;
  smape: number;
  wape: number;
  bias: number;
  failed: number;
}

/** Scores of forecasts of the held-out days, averaged over the series (WAPE over all their days). */
function scores(set: SetSeries[], forecasts: (number[] | null)[]): Accuracy {
  const rows = set.map((s, i) => ({ ...split(s), f: forecasts[i] }));
  const ok = rows.filter((r) => r.f);
  return {
    mase: avg(ok.map((r) => mase(r.test, r.f!, naiveScale(r.train.values)))),
    smape: avg(ok.map((r) => smape(r.test, r.f!))),
    wape: wape(
      ok.flatMap((r) => r.test),
      ok.flatMap((r) => r.f!),
    ),
    bias: avg(ok.map((r) => bias(r.test, r.f!))),
    failed: rows.length - ok.length,
  };
}

/**
 * A set with its last 90 days held out: the automatic choice through the forecaster's threads (its models,
 * backtests and screen) with its interval coverage, and every per-series model fitted alone on the training
 * days (the level models alone are the race's own level forecasts).
 */
export async function accuracyOf(pool: ForecastPool, set: SetSeries[], options: RaceOptions) {
  const train = set.map((s) => ({ series: split(s).train, codes: s.codes, key: s.id }));
  const auto = await forecastSet(pool, train, { ...options, horizon: H });
  const pointsOf = (model: string) =>
    auto.results.map((r) => r.results.find((x) => x.model === model)?.points.map((p) => p.value) ?? null);
  const table: Record<string, Accuracy> = {};
  table['automatic choice'] = scores(
    set,
    auto.results.map((r) => r.results.find((x) => x.model === r.chosen)!.points.map((p) => p.value)),
  );
  for (const name of LEVEL_MODELS.filter((m) => options.models.includes(m)))
    table[name] = scores(set, pointsOf(name));
  for (const name of options.models.filter((m) => MODELS[m])) {
    table[name] = scores(
      set,
      train.map(({ series }) => {
        try {
          return MODELS[name]!.fit(series)
            .predict(H)
            .map((v) => Math.max(0, v));
        } catch {
          return null;
        }
      }),
    );
  }
  const inside = { 80: [] as number[], 95: [] as number[] };
  auto.results.forEach((r, i) => {
    const points = r.results.find((x) => x.model === r.chosen)!.points;
    for (const level of [80, 95] as const)
      inside[level].push(
        coverage(
          split(set[i]!).test,
          points.map((p) => p[`lower_${level}`]),
          points.map((p) => p[`upper_${level}`]),
        ),
      );
  });
  const chosen: Record<string, number> = {};
  for (const r of auto.results) chosen[r.chosen] = (chosen[r.chosen] ?? 0) + 1;
  const patterns: Record<string, number> = {};
  for (const r of auto.results) patterns[r.pattern.pattern] = (patterns[r.pattern.pattern] ?? 0) + 1;
  return {
    table,
    coverage: { 80: avg(inside[80]), 95: avg(inside[95]) },
    chosen,
    patterns,
    costly: auto.results.filter((r) => r.costly > 0).length,
    seconds: auto.seconds,
  };
}

/** The previous version's automatic choice on the same held-out days. */
export async function previousOn(set: SetSeries[]): Promise<Accuracy | null> {
  const old = await oldRace(
    set.map((s) => ({ series: split(s).train })),
    H,
  );
  return old ? scores(set, old.forecasts) : null;
}

export function printAccuracy(
  title: string,
  a: Awaited<ReturnType<typeof accuracyOf>>,
  previous: Accuracy | null,
) {
  console.log(`\n${title}`);
  console.log('model               MASE   SMAPE    WAPE    bias');
  for (const [name, s] of Object.entries(a.table))
    console.log(
      `${name.padEnd(17)} ${s.mase.toFixed(3).padStart(6)} ${s.smape.toFixed(2).padStart(7)} ${s.wape.toFixed(2).padStart(7)} ${s.bias.toFixed(2).padStart(7)}` +
        (s.failed ? `  (${s.failed} failed)` : ''),
    );
  console.log(
    `chosen: ${Object.entries(a.chosen)
      .map(([m, c]) => `${m} ${c}`)
      .join(', ')}; patterns: ${Object.entries(a.patterns)
      .map(([m, c]) => `${m} ${c}`)
      .join(', ')}; costly fits on ${a.costly} series`,
  );
  console.log(
    `interval coverage of the choice: 80 % → ${a.coverage[80].toFixed(1)} %, 95 % → ${a.coverage[95].toFixed(1)} %`,
  );
  if (previous)
    console.log(
      `previous version's automatic choice: MASE ${previous.mase.toFixed(3)}, SMAPE ${previous.smape.toFixed(2)}, WAPE ${previous.wape.toFixed(2)}`,
    );
}
