/**
 * The shapes of data users bring, as request bodies of 1,000 events each (ingest's batch limit is larger):
 * - generated: a seeded chain (stores × products in categories), one report per series a day, day by day;
 * - deep: store-item-demand's real daily sales, in the file's own order (series by series: item, store, date).
 */
import { readFileSync } from 'node:fs';
import { Simulation } from '../../services/ingest/src/domain/generator/simulate.js';
import { dataset } from './datasets.js';

export const BATCH = 1000;

export interface Load {
  name: string;
  series: number;
  events: number;
  bodies: string[];
}

function batches(events: Iterable<unknown>): { bodies: string[]; count: number } {
  const bodies: string[] = [];
  let batch: unknown[] = [];
  let count = 0;
  for (const e of events) {
    batch.push(e);
    count++;
    if (batch.length === BATCH) {
      bodies.push(JSON.stringify(batch));
      batch = [];
    }
  }
  if (batch.length) bodies.push(JSON.stringify(batch));
  return { bodies, count };
}

/** A generated chain: every series reports once a day, days in order (as stores' nightly reports come). */
export function generated(
  name: string,
  shape: { stores: number; products: number; categories: number; days: number; seed?: number },
): Load {
  const sim = new Simulation({ ...shape, seed: shape.seed ?? 11, end: '2025-06-01' });
  function* events() {
    for (let d = 0; d < shape.days; d++) yield* sim.day(d);
  }
  const { bodies, count } = batches(events());
  return { name, series: shape.stores * shape.products, events: count, bodies };
}

/**
 * store-item-demand: `stores` × `items` series (5 × 8: 40), every day but the last `holdOut` (90, as the
 * forecast benchmark holds out), posted in the file's order. Each day is a report of the units sold and of
 * the stock on hand after them, under an order-up-to policy (restocked to 20 days of the series' mean sales
 * when below 7): the data holds sales only, and real stores report stock too. Items 1–4 are one category,
 * 5–8 another; prices are fixed per item.
 */
export function storeItemDemand(stores = 5, items = 8, holdOut = 90): Load {
  const rows = readFileSync(dataset('store-item-demand/retail_sales_sample.csv'), 'utf8').trim().split('\n');
  const bySeries = new Map<string, { date: string; store: number; item: number; sales: number }[]>();
  for (const line of rows.slice(1)) {
    const [date, store, item, sales] = line.split(',');
    if (Number(store) > stores || Number(item) > items) continue;
    const key = `${item}-${store}`;
    if (!bySeries.has(key)) bySeries.set(key, []);
    bySeries.get(key)!.push({ date: date!, store: Number(store), item: Number(item), sales: Number(sales) });
  }
  function* events() {
    for (const days of bySeries.values()) {
      const kept = days.slice(0, days.length - holdOut);
      const mean = kept.reduce((a, d) => a + d.sales, 0) / kept.length;
      const upTo = Math.ceil(mean * 20);
      let stock = upTo;
      for (const d of kept) {
        let received = 0;
        if (stock - d.sales < mean * 7) received = upTo - (stock - d.sales);
        stock = stock - d.sales + received;
        yield {
          product_id: `item-${d.item}`,
          store_location: `store-${d.store}`,
          category: d.item <= 4 ? 'dry-goods' : 'fresh',
          quantity: stock,
          units_sold: d.sales,
          units_received: received,
          price: 2 + d.item * 1.5,
          event_timestamp: `${d.date}T20:00:00Z`,
        };
      }
    }
  }
  const { bodies, count } = batches(events());
  return { name: 'deep', series: bySeries.size, events: count, bodies };
}
