/**
 * The previous version's race (before the global model and the screen), for a before/after figure on the
 * same series: its forecaster source taken from git (BENCH_OLD_FORECASTER, a revision; default the last
 * commit before it) into a folder beside the service, so that it finds the same packages.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../tests/support/platform.js';
import type { Series } from '../../services/forecaster/src/models/types.js';

type OldResult = { chosen: string; results: { model: string; points: { value: number }[] }[] };

const REVISION = process.env.BENCH_OLD_FORECASTER ?? 'dafd3aa';

/**
 * The previous race on 2 threads over a set, on the last `history` days of each series (the service's
 * default was 730; its benchmark gave it every day): series per second and the chosen forecast of each
 * series; null without git.
 */
export async function oldRace(
  set: { series: Series }[],
  horizon: number,
  history = 730,
): Promise<{ perSecond: number; forecasts: number[][] } | null> {
  const dir = join(ROOT, 'services/forecaster/.bench-old');
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const archive = execFileSync('git', ['archive', REVISION, 'services/forecaster/src'], {
      cwd: ROOT,
      maxBuffer: 1 << 26,
    });
    execFileSync('tar', ['-x', '-C', dir, '--strip-components=2'], { input: archive });
  } catch (err) {
    console.log(`previous version not measured: ${(err as Error).message.split('\n')[0]}`);
    return null;
  }
  try {
    const { createForecastPool } = (await import(join(dir, 'src/workers/pool.ts'))) as {
      createForecastPool: (threads: number) => {
        run: (task: unknown) => Promise<OldResult>;
        close: () => Promise<void>;
      };
    };
    const { DEFAULT_MODELS } = (await import(join(dir, 'src/models/names.ts'))) as {
      DEFAULT_MODELS: string[];
    };
    const pool = createForecastPool(2);
    const tail = (s: Series) => ({ dates: s.dates.slice(-history), values: s.values.slice(-history) });
    const task = (s: Series) => ({ series: tail(s), horizon, windows: 3, models: DEFAULT_MODELS });
    await Promise.all(set.slice(0, 2).map((s) => pool.run(task(s.series))));
    const t0 = performance.now();
    const results = await Promise.all(set.map((s) => pool.run(task(s.series))));
    const seconds = (performance.now() - t0) / 1000;
    await pool.close();
    const forecasts = results.map((r) =>
      r.results.find((x) => x.model === r.chosen)!.points.map((p) => p.value),
    );
    return { perSecond: set.length / seconds, forecasts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
