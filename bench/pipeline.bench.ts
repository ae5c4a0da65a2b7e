/**
 * `pnpm bench:pipeline`: events through HTTP ingest → embedded bus → processor, as real processes.
 * 1. Sustained rate: generated history posted in batches of 1000 (2 in flight) until every event is in the
 *    day windows (`GET /api/metrics`). 2. Latency at 1,000 events/s: from a POST's 202 to the metric update
 *    of its window arriving on `stockpulse.inventory-metrics` (each event in a window of its own).
 * Prints one figure per line; fails on no threshold.
 */
import { EmbeddedBus } from '@stockpulse/bus';
import { Simulation } from '../services/ingest/src/domain/generator/simulate.js';
import { getJson, Platform, post, until } from '../tests/support/platform.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = 1000;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

function history(count: number) {
  const products = 40;
  const stores = 5;
  const days = Math.ceil(count / (products * stores));
  const sim = new Simulation({ days, stores, products, categories: 5, seed: 11, end: '2025-06-01' });
  const events = [];
  for (let d = 0; d < days && events.length < count; d++) events.push(...sim.day(d));
  return events.slice(0, count);
}

async function sustained(platform: Platform): Promise<number> {
  const events = history(EVENTS);
  const ingest = `${platform.url('ingest')}/api/events`;
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const from = next;
      next += BATCH;
      const res = await post(ingest, events.slice(from, from + BATCH));
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all([worker(), worker()]);
  const posted = performance.now();
  // cheap while it runs (the processor's own counter), exact at the end (every event in the day windows)
  await until(
    () => acked(platform),
    (n) => n >= events.length,
    'the processor to acknowledge every event',
    600_000,
  );
  await until(
    () => eventsInDayWindows(platform),
    (n) => n === events.length,
    'every event in the day windows',
    60_000,
  );
  const done = performance.now();
  console.log(
    `pipeline events: ${fmt(events.length)} in batches of ${BATCH} (posted in ${((posted - t0) / 1000).toFixed(1)} s)`,
  );
  return events.length / ((done - t0) / 1000);
}

/** Inventory events the processor has acknowledged, from its Prometheus counter. */
async function acked(platform: Platform): Promise<number> {
  const text = await (await fetch(`${platform.url('processor')}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('stockpulse_bus_consumed_total{') && l.includes('outcome="acked"'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** Σ event_count over every day window, page by page. */
async function eventsInDayWindows(platform: Platform): Promise<number> {
  let total = 0;
  for (let offset = 0; ; offset += 10_000) {
    const page = await getJson(
      `${platform.url('processor')}/api/metrics?window=day&limit=10000&offset=${offset}`,
    );
    total += page.items.reduce((s, w) => s + (w.event_count as number), 0);
    if (offset + page.items.length >= page.total) return total;
  }
}

async function latency(platform: Platform, seconds: number) {
  const bus = new EmbeddedBus({ path: `${platform.dataDir}/bus.db` });
  const visible = new Map<string, number>();
  await bus.subscribe(
    'stockpulse.inventory-metrics',
    { subscription: 'bench', initialPosition: 'latest' },
    (d) => {
      const p = d.envelope.payload;
      if (p.kind === 'window' && !visible.has(p.category)) visible.set(p.category, performance.now());
    },
  );
  const accepted = new Map<string, number>();
  const ingest = `${platform.url('ingest')}/api/events`;
  const perTick = 20;
  const start = performance.now();
  let sent = 0;
  for (let tick = 0; tick < (seconds * 1000) / 20; tick++) {
    const due = start + tick * 20;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    const batch = Array.from({ length: perTick }, (_, i) => {
      const n = sent + i;
      return {
        product_id: 'P1',
        store_location: 'Bench',
        category: `lat-${n}`,
        quantity: 10,
        price: 1,
        event_timestamp: new Date().toISOString(),
      };
    });
    sent += perTick;
    void post(ingest, batch).then(() => {
      const at = performance.now();
      for (const e of batch) accepted.set(e.category, at);
    });
  }
  await until(
    async () => visible.size,
    (n) => n >= sent,
    'every latency event visible',
    60_000,
  ).catch(() => {});
  await bus.close();
  const samples = [...accepted]
    .filter(([c]) => visible.has(c))
    .map(([c, at]) => visible.get(c)! - at)
    .sort((a, b) => a - b);
  const q = (x: number) => samples[Math.min(samples.length - 1, Math.floor(x * samples.length))] ?? NaN;
  return { sent, seen: samples.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), rate: sent / seconds };
}

const platform = await Platform.start(['processor', 'ingest'], { LOG_LEVEL: 'warn' });
try {
  const rate = await sustained(platform);
  console.log(`pipeline sustained ingest→metrics: ${fmt(rate)} events/s (target ≥ 20,000)`);
  const l = await latency(platform, Number(process.env.BENCH_LATENCY_SECONDS ?? 20));
  console.log(`pipeline latency at ${fmt(l.rate)} events/s: ${l.seen} of ${l.sent} events seen`);
  console.log(
    `pipeline latency POST accepted → metric visible: p50 ${l.p50.toFixed(0)} ms, p95 ${l.p95.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms (target p99 ≤ 250 ms)`,
  );
} finally {
  await platform.stop();
}
