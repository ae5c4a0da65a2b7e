import { Piscina } from 'piscina';
import type { SeriesForecast } from '../domain/pipeline.js';
import type { ForecastTask } from './forecast.worker.js';

/**
 * The forecasting threads. Under tsx (development, tests) the worker is the TypeScript source, loaded
 * through tsx in the thread; from a build it is the compiled file next to this one.
 */
export function createForecastPool(threads: number) {
  const source = import.meta.url.endsWith('.ts');
  const pool = new Piscina<ForecastTask, SeriesForecast>({
    filename: new URL(`./forecast.worker.${source ? 'ts' : 'js'}`, import.meta.url).href,
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
    ...(source ? { execArgv: ['--conditions=@stockpulse/source', '--import', 'tsx'] } : {}),
  });
  return {
    run: (task: ForecastTask) => pool.run(task),
    close: () => pool.destroy(),
  };
}

export type ForecastPool = ReturnType<typeof createForecastPool>;
