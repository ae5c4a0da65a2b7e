/**
 * The real datasets, which carry no labels: how few of their events get listed as anomalies, and which.
 * - store-item-demand: 82 series × 5 years of real daily sales, with stock from an order-up-to policy
 *   (bench/support/loads.ts: the data holds sales only);
 * - retail-store-inventory: its first 499 rows as they are (stock level, units sold, units ordered as
 *   received, price): a synthetic source whose stock does not reconcile with its sales;
 * - online-retail-uci: 20,000 real invoice lines (stock code, description, quantity sold, unit price, country
 *   as the store), returns (negative quantities) left out.
 */
import { readFileSync } from 'node:fs';
import { dataset } from '../support/datasets.js';
import { storeItemDemand } from '../support/loads.js';
import { collect, postEvents, startPlatform, type Listed } from './run.js';

export interface RealResult {
  name: string;
  events: number;
  anomalies: Listed[];
  notes: number;
}

const csvLine = (line: string) =>
  [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
    .map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'))
    .slice(0, -1);

function retailStoreInventory(): object[] {
  const [, ...rows] = readFileSync(
    dataset('retail-store-inventory/retail_store_inventory_first499rows.csv'),
    'utf8',
  )
    .trim()
    .split(/\r?\n/);
  return rows.map((line) => {
    const [date, store, product, category, , level, sold, ordered, , price] = line.split(',');
    const [d, m, y] = date!.split('-');
    return {
      product_id: product,
      store_location: store,
      category,
      quantity: Number(level),
      units_sold: Number(sold),
      units_received: Number(ordered),
      price: Number(price),
      event_timestamp: `${y}-${m}-${d}T20:00:00Z`,
    };
  });
}

function onlineRetail(): object[] {
  const [, ...rows] = readFileSync(dataset('online-retail-uci/online_retail_sample.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  return rows
    .map(csvLine)
    .filter((r) => Number(r[3]) >= 0 && Number(r[5]) >= 0 && r[1])
    .map(([invoice, code, description, quantity, at, price, , country]) => ({
      event_id: `uci-${invoice}-${code}-${at}`,
      product_id: code,
      store_location: country,
      category: 'giftware',
      ...(description ? { description } : {}),
      units_sold: Number(quantity),
      price: Number(price),
      event_timestamp: `${at!.replace(' ', 'T')}Z`,
    }))
    .sort((a, b) => a.event_timestamp.localeCompare(b.event_timestamp));
}

export async function realDatasets(): Promise<RealResult[]> {
  const sets: [string, () => object[]][] = [
    ['store-item-demand', () => storeItemDemand(10, 50, 0).bodies.flatMap((b) => JSON.parse(b) as object[])],
    ['retail-store-inventory', retailStoreInventory],
    ['online-retail-uci', onlineRetail],
  ];
  const results: RealResult[] = [];
  for (const [name, load] of sets) {
    const events = load();
    const p = await startPlatform();
    try {
      const accepted = await postEvents(p, events);
      const r = await collect(p, accepted, () => []);
      results.push({ name, events: r.events, anomalies: r.anomalies, notes: r.notes.length });
    } finally {
      await p.stop();
    }
  }
  return results;
}
