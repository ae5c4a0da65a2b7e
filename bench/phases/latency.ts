/**
 * Latency at a steady 1,000 events/s through the whole platform, from a POST's 202 to (a) the metric update
 * of a probe's window on `stockpulse.inventory-metrics` and (b) the notification of an injected anomaly on
 * `stockpulse.notifications`. One event in 20 is a probe: a report of store `Bench`, category `Latency`, in
 * an hour window of its own (consecutive past hours, so each update names its probe while the stores gain
 * one group, not thousands); one in 250 is an anomaly (negative stock of a product of its own: a cause of its
 * own, so a notification of its own). The rest are ordinary reports of the same store.
 */
import { post, until, type Platform } from '../../tests/support/platform.js';
import { quantile, report } from '../support/report.js';

const TICK_MS = 20;
const HOUR_MS = 3_600_000;
/** Probes go in consecutive hours from here: in the past, after the throughput phase's history. */
const PROBE_EPOCH = Date.parse('2026-01-01T00:00:00Z');
const ordinary = (n: number) => ({
  product_id: `P${n % 10}`,
  store_location: 'Bench',
  category: 'Ordinary',
  quantity: 10,
  price: 1,
});

export async function latency(platform: Platform, seconds: number, perSecond = 1000): Promise<void> {
  const bus = await platform.client();
  const metricAt = new Map<string, number>(); // hour window start (ISO) → when its update arrived
  const notifiedAt = new Map<string, number>();
  const metricSub = await bus.subscribe(
    'stockpulse.inventory-metrics',
    { subscription: 'bench-latency', initialPosition: 'latest' },
    (d) => {
      const p = d.envelope.payload;
      if (p.kind !== 'window' || p.category !== 'Latency' || p.window !== 'hour') return;
      if (!metricAt.has(p.window_start)) metricAt.set(p.window_start, performance.now());
    },
  );
  const notificationSub = await bus.subscribe(
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
  const probes: string[] = [];
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
      if (n % 250 === 125) {
        injected.push(`NEG-${n}`);
        return { ...ordinary(n), product_id: `NEG-${n}`, quantity: -5, event_timestamp: now };
      }
      if (n % 20 === 0) {
        const hour = new Date(PROBE_EPOCH + (n / 20) * HOUR_MS).toISOString();
        probes.push(hour);
        return { ...ordinary(n), category: 'Latency', event_timestamp: hour };
      }
      return { ...ordinary(n), event_timestamp: now };
    });
    sent += perTick;
    inFlight.push(
      post(ingest, batch).then((res) => {
        if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
        const at = performance.now();
        for (const e of batch) {
          if (e.category === 'Latency') accepted.set(e.event_timestamp, at);
          if (e.quantity < 0) accepted.set(e.product_id, at);
        }
      }),
    );
  }
  await Promise.all(inFlight);
  await until(
    async () => metricAt.size + notifiedAt.size,
    (n) => n >= probes.length + injected.length,
    'every latency event and injected anomaly visible',
    60_000,
  ).catch(() => {}); // the figures say how many were seen
  await Promise.all([metricSub.close(), notificationSub.close()]);

  const samples = (seen: Map<string, number>, keys: string[]) =>
    keys
      .filter((k) => seen.has(k) && accepted.has(k))
      .map((k) => seen.get(k)! - accepted.get(k)!)
      .sort((a, b) => a - b);
  const metrics = samples(metricAt, probes);
  const notifications = samples(notifiedAt, injected);
  const rate = sent / seconds;
  for (const [what, values, target, of] of [
    ['POST accepted → metric visible', metrics, 250, probes.length],
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
