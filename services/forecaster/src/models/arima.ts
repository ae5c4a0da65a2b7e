import { createRequire } from 'node:module';
import { quietly } from './quietly.js';
import { tail, type Model } from './types.js';
import { weekdayAdjusted } from './weekday.js';

interface ArimaModel {
  train(ts: number[]): ArimaModel;
  predict(h: number): [number[], number[]];
}
type ArimaConstructor = new (options: Record<string, unknown>) => ArimaModel;

const ARIMA = createRequire(import.meta.url)('arima') as ArimaConstructor;
// every differenced order up to (2, 1, 2), and the three stationary ones that won most often here
// (an undifferenced fit costs 6–20 ms against under 1 ms, as it estimates the mean too)
const ORDERS = [
  ...[0, 1, 2].flatMap((p) => [0, 1, 2].map((q) => ({ p, d: 1, q }))),
  { p: 1, d: 0, q: 0 },
  { p: 1, d: 0, q: 1 },
  { p: 2, d: 0, q: 1 },
];
const VALIDATION_DAYS = 28;

const forecast = (values: number[], order: (typeof ORDERS)[number], h: number) =>
  quietly(() => new ARIMA({ ...order, verbose: false }).train(values).predict(h)[0]);

/** Finite and not exploding: the optimiser of some orders diverges on some series. */
const sane = (f: number[], ceiling: number) => f.every((v) => Number.isFinite(v) && Math.abs(v) <= ceiling);

/**
 * ARIMA (the `arima` package, ctsa in WASM) with its order chosen automatically: candidate orders up to
 * (2, 1, 2) are fitted on all but the last four weeks and the lowest error on those weeks wins, then it is
 * refitted on everything. The package's own AutoARIMA is not used: it returns wrong forecasts on simple
 * series (a constant series forecast at twice its level from day six; a noisy trend pulled to its mean;
 * its known issues #7 and #12), and a seasonal search takes seconds. The weekly pattern is taken out first
 * (a factor per weekday) and put back on the forecast; the last year is used.
 */
export const arima: Model = {
  name: 'ARIMA',
  minLength: 2 * VALIDATION_DAYS,
  fit(full) {
    const series = tail(full, 365);
    const adjusted = weekdayAdjusted(series);
    const values = adjusted.values;
    const ceiling = 10 * Math.max(1, ...values.map(Math.abs));
    const train = values.slice(0, -VALIDATION_DAYS);
    const held = values.slice(-VALIDATION_DAYS);
    const ranked = ORDERS.map((order) => {
      try {
        const f = forecast(train, order, VALIDATION_DAYS);
        const error = sane(f, ceiling) ? f.reduce((s, v, i) => s + Math.abs(v - held[i]!), 0) : Infinity;
        return { order, error };
      } catch {
        return { order, error: Infinity };
      }
    })
      .filter((r) => Number.isFinite(r.error))
      .sort((a, b) => a.error - b.error);
    return {
      predict: (h) => {
        for (const { order } of ranked) {
          try {
            const f = forecast(values, order, h);
            if (sane(f, ceiling)) return adjusted.reseasonalize(f);
          } catch {
            // the next best order
          }
        }
        throw new Error('no ARIMA order fits this series');
      },
    };
  },
};
