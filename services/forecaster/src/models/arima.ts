import { createRequire } from 'node:module';
import { tail, type Model } from './types.js';

interface ArimaModel {
  train(ts: number[]): ArimaModel;
  predict(h: number): [number[], number[]];
}
type ArimaConstructor = new (options: Record<string, unknown>) => ArimaModel;

const ARIMA = createRequire(import.meta.url)('arima') as ArimaConstructor;

/** The C library behind `arima` prints its optimiser's complaints to stdout; keep them out of our logs. */
function quietly<T>(fn: () => T): T {
  const write = process.stdout.write.bind(process.stdout);
  const log = console.log;
  process.stdout.write = () => true;
  console.log = () => {};
  try {
    return fn();
  } finally {
    process.stdout.write = write;
    console.log = log;
  }
}

/**
 * AutoARIMA (the `arima` package: ctsa's auto order search) on the series with its weekday pattern taken
 * out (a multiplicative factor per weekday, from the last year), put back on the forecasts. A seasonal
 * search (s = 7) takes seconds per series; this takes a tenth of that and forecasts as well.
 */
export const arima: Model = {
  name: 'ARIMA',
  minLength: 28,
  fit(series) {
    const recent = tail(series, 365);
    const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
    const sums = Array<number>(7).fill(0);
    const counts = Array<number>(7).fill(0);
    recent.dates.forEach((d, i) => {
      sums[weekday(d)]! += recent.values[i]!;
      counts[weekday(d)]!++;
    });
    const mean = recent.values.reduce((a, b) => a + b, 0) / recent.values.length || 1;
    const factor = sums.map((s, i) => (counts[i] && s > 0 ? s / counts[i] / mean : 1));
    const adjusted = recent.values.map((v, i) => v / factor[weekday(recent.dates[i]!)]!);
    const model = quietly(() => new ARIMA({ auto: true, p: 3, d: 1, q: 3, verbose: false }).train(adjusted));
    const lastDay = weekday(recent.dates.at(-1)!);
    return {
      predict: (h) => {
        const [point] = quietly(() => model.predict(h));
        if (point.some((v) => !Number.isFinite(v))) throw new Error('ARIMA forecast is not finite');
        return point.map((v, i) => v * factor[(lastDay + i + 1) % 7]!);
      },
    };
  },
};
