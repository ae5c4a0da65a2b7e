import { Simulation } from '../services/ingest/src/domain/generator/simulate.js';
const mode = process.argv[2];
let events: unknown[] = [];
if (mode === 'history') {
  const sim = new Simulation({
    days: 250,
    stores: 5,
    products: 40,
    categories: 5,
    seed: 11,
    end: '2025-06-01',
  });
  for (let d = 0; d < 250; d++) events.push(...sim.day(d));
} else {
  events = Array.from({ length: 5000 }, (_, n) => ({
    product_id: 'P1',
    store_location: 'Bench',
    category: `lat-${n}`,
    quantity: 10,
    price: 1,
    event_timestamp: new Date().toISOString(),
  }));
}
const t = performance.now();
for (let i = 0; i < events.length; i += 1000) {
  const r = await fetch('http://127.0.0.1:3201/api/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events.slice(i, i + 1000)),
  });
  if (r.status !== 202) console.log(r.status, await r.text());
}
console.log('posted', events.length, 'in', performance.now() - t);
for (;;) {
  const m = (await (await fetch('http://127.0.0.1:3202/api/metrics?window=day&limit=10000')).json()) as {
    items: { event_count: number }[];
  };
  const n = m.items.reduce((s, w) => s + w.event_count, 0);
  if (n === events.length) break;
  await new Promise((r) => setTimeout(r, 200));
}
console.log('done in', performance.now() - t);
