/**
 * The loads of users at scale (BENCH_LOADS, comma-separated; all by default):
 * - `series`: 200 series (5 stores × 40 products) × 100 days, the breadth the classic phases use;
 * - `broad`: 10,000 series (40 stores × 250 products in 8 categories) × 20 days, by four clients;
 * - `deep`: store-item-demand, 40 series × 1,736 days, in the file's order (series by series);
 * - `history`: 1,000 series posted day by day, measured at 100,000 and at 1,000,000 stored events;
 * - `wide`: 100,000 series (400 stores × 250 products) × 2 days, for memory against `broad`.
 * Each on a fresh platform; the cost ratios that show flatness are printed at the end.
 */
import { generated, storeItemDemand } from '../support/loads.js';
import { report } from '../support/report.js';
import { costAsHistoryGrows, runLoad } from './loads.js';

const CLIENTS = 4;

/** CPU per event of one load against another (every service but the forecaster); the target is flatness. */
function costRatio(what: string, cost: number, base: number): void {
  report({
    bench: 'pipeline',
    name: `cost ratio: CPU per event ${what} (every service but the forecaster)`,
    value: cost / base,
    unit: '',
    target: { op: '<=', value: 1.2 },
    detail: `${(cost * 1000).toFixed(0)} µs vs ${(base * 1000).toFixed(0)} µs per event`,
  });
}

export async function scale(loads: Set<string>, timeoutSeconds: number): Promise<void> {
  const shape = (stores: number, products: number, categories: number, days: number) => ({
    stores,
    products,
    categories,
    days,
  });
  let narrow = NaN;
  if (loads.has('series'))
    narrow = await runLoad(generated('series', shape(5, 40, 5, 100)), CLIENTS, timeoutSeconds);
  if (loads.has('broad')) {
    const broad = await runLoad(generated('broad', shape(40, 250, 8, 20)), CLIENTS, timeoutSeconds);
    if (loads.has('series')) costRatio('at 10,000 series ÷ at 200 series', broad, narrow);
  }
  if (loads.has('deep')) await runLoad(storeItemDemand(), CLIENTS, timeoutSeconds);
  if (loads.has('history')) {
    const load = generated('history', shape(25, 40, 5, 1050));
    const [small, large] = await costAsHistoryGrows(load, 100_000, 1_000_000, 50_000, timeoutSeconds);
    costRatio('at 1,000,000 stored events ÷ at 100,000', large, small);
  }
  if (loads.has('wide')) await runLoad(generated('wide', shape(400, 250, 8, 2)), CLIENTS, timeoutSeconds);
}
