/**
 * Latency at a steady 1,000 events/s through the whole platform: from a POST's 202 to (a) the metric update of
 * its window on `stockpulse.inventory-metrics` (each event in a window of its own) and (b) for one event in a
 * hundred, an injected anomaly (negative stock, a product of its own, so a cause of its own), to its
 * notification on `stockpulse.notifications`.
 */
import { EmbeddedBus } from '@stockpulse/bus';
import { post, until, type Platform } from '../../tests/support/platform.js';
import { quantile, report } from '../support/report.js';

const TICK_MS = 20;

export async function latency(platform: Platform, seconds: number, perSecond = 1000): Promise<void> {
  const bus = new EmbeddedBus({ path: `${platform.dataDir}/bus.db` });
  const metricAt = new Map<string, number>();
  const notifiedAt = new Map<string, number>();
  await bus.subscribe(
    'stockpulse.inventory-metrics',
    { subscription: 'bench-latency', initialPosition: 'latest' },
    (d) => {
      const p = d.envelope.payload;
      if (p.kind === 'window' && !metricAt.has(p.category)) metricAt.set(p.category, performance.now());
    },
  );
  await bus.subscribe(
    'stockpulse.notifications',
    { subscription: 'bench-latency', initialPosition: 'latest' },
    (d) => {
      const product = d.envelope.payload.product_id;
      if (product && !notifiedAt.has(product)) notifiedAt.set(product, performance.now());
    },
  );

  const ingest = `${platform.url('ingest')}/api/events`;
  const perTick = (perSecond * TICK_MS) / 1000;
  const accepted = new Map<string, number>();
  const injected: string[] = [];
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  for (let tick = 0; tick < (seconds * 1000) / TICK_MS; tick++) {
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, start + tick * TICK_MS - performance.now())),
    );
    const now = new Date().toISOString();
    const batch = Array.from({ length: perTick }, (_, i) => {
      const n = sent + i;
      const anomaly = n % 100 === 50;
      if (anomaly) injected.push(`NEG-${n}`);
      return {
        product_id: anomaly ? `NEG-${n}` : 'P1',
        store_location: 'Bench',
        category: `lat-${n}`,
        quantity: anomaly ? -5 : 10,
        price: 1,
        event_timestamp: now,
      };
    });
    sent += perTick;
    inFlight.push(
      post(ingest, batch).then((res) => {
        if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
        const at = performance.now();
        for (const e of batch) accepted.set(e.category, at);
        for (const e of batch) if (e.quantity < 0) accepted.set(e.product_id, at);
      }),
    );
  }
  await Promise.all(inFlight);
  await until(
    async () => metricAt.size + notifiedAt.size,
    (n) => n >= sent + injected.length,
    'every latency event and injected anomaly visible',
    60_000,
  ).catch(() => {}); // the figures say how many were seen
  await bus.close();

  const samples = (seen: Map<string, number>, keys: string[]) =>
    keys
      .filter((k) => seen.has(k) && accepted.has(k))
      .map((k) => seen.get(k)! - accepted.get(k)!)
      .sort((a, b) => a - b);
  const metrics = samples(
    metricAt,
    [...accepted.keys()].filter((k) => k.startsWith('lat-')),
  );
  const notifications = samples(notifiedAt, injected);
  const rate = sent / seconds;
  for (const [what, values, target, of] of [
    ['POST accepted → metric visible', metrics, 250, sent],
    ['POST accepted → notification visible (injected anomaly)', notifications, 1000, injected.length],
  ] as const) {
    for (const [p, name] of [
      [0.5, 'p50'],
      [0.95, 'p95'],
      [0.99, 'p99'],
    ] as const) {
      report({
        bench: 'latency',
        name: `${what} at ${Math.round(rate)} events/s, ${name}`,
        value: quantile(values, p),
        unit: 'ms',
        ...(name === 'p99' ? { target: { op: '<=' as const, value: target } } : {}),
        ...(name === 'p50' ? { detail: `${values.length} of ${of} seen` } : {}),
      });
    }
  }
}
