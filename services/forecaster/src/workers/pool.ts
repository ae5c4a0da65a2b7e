import { Piscina } from 'piscina';
import type { SeriesForecast } from '../domain/pipeline.js';
import type { RaceTask, SavedLevel, TrainTask } from './forecast.worker.js';

/**
 * The forecasting threads. From a build the worker is the compiled file next to this one; under tsx
 * (development, tests, benchmarks) a small ESM bootstrap registers tsx in the thread and loads the
 * TypeScript source. Threads inherit the process's `--conditions`, so workspace packages resolve alike.
 * `nice` lowers the threads' scheduling priority (Linux: per thread), so that training, which is batch work,
 * takes only the CPU time the real-time services leave.
 */
export function createForecastPool(threads: number, nice = 0) {
  const source = import.meta.url.endsWith('.ts');
  const worker = new URL(`./forecast.worker.${source ? 'ts' : 'js'}`, import.meta.url).href;
  const pool = new Piscina({
    filename: source ? new URL('./tsx-worker.mjs', import.meta.url).href : worker,
    workerData: { tsWorker: worker, nice },
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
  return {
    threads,
    /** The automatic pipeline of a chunk of series. */
    race: (task: RaceTask) => pool.run(task) as Promise<SeriesForecast[]>,
    /** A level's models (global trees, seasonal profile), trained on the days before the task's cutoff. */
    train: (task: TrainTask) => pool.run(task, { name: 'train' }) as Promise<SavedLevel | null>,
    close: () => pool.destroy(),
  };
}

export type ForecastPool = ReturnType<typeof createForecastPool>;
