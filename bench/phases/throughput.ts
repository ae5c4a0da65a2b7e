/**
 * Sustained throughput: `count` generated events posted to ingest as JSON in batches of 1,000 (two in
 * flight) until the processor has applied every one, checked exactly in the day windows at the end. The
 * ceiling, in the same run: how fast this process parses the very same request bodies (JSON.parse), the
 * least any JSON API must do with them.
 */
import { Simulation } from '../../services/ingest/src/domain/generator/simulate.js';
import { dayTotals, post, until, type Platform } from '../../tests/support/platform.js';
import { acked } from '../support/consumed.js';
import { fmt, report } from '../support/report.js';

const BATCH = 1000;

/**
 * A seeded history of `count` events: 40 products at 5 stores (the demo's shape; 225 series to forecast), as
 * many days as it takes (5,000 for a million).
 */
export function history(count: number): string[] {
  const products = 40;
  const stores = 5;
  const days = Math.ceil(count / (products * stores));
  const sim = new Simulation({ days, stores, products, categories: 5, seed: 11, end: '2025-06-01' });
  const bodies: string[] = [];
  let batch: unknown[] = [];
  for (let d = 0, n = 0; d < days && n < count; d++) {
    for (const event of sim.day(d)) {
      if (n++ >= count) break;
      batch.push(event);
      if (batch.length === BATCH) {
        bodies.push(JSON.stringify(batch));
        batch = [];
      }
    }
  }
  if (batch.length) bodies.push(JSON.stringify(batch));
  return bodies;
}

/** Events per second JSON.parse gets through on these bodies (best of three passes). */
function parseRate(bodies: string[], count: number): number {
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    let parsed = 0;
    for (const body of bodies) parsed += (JSON.parse(body) as unknown[]).length;
    if (parsed !== count) throw new Error('parsed a different number of events');
    best = Math.min(best, performance.now() - t0);
  }
  return count / (best / 1000);
}

/** Reports the sustained rate (against JSON.parse, or against `reference`: the embedded bus's, same run). */
export async function throughput(platform: Platform, count: number, reference?: number): Promise<number> {
  const bodies = history(count);
  const before = await acked(platform, 'processor');
  const counted = await dayTotals(platform.url('processor')).then((t) => t.events);
  const ingest = `${platform.url('ingest')}/api/events`;
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const res = await post(ingest, bodies[next++]!);
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all([worker(), worker()]);
  const posted = performance.now();
  // cheap while it runs (the processor's own counter), exact at the end (every event in the day windows)
  await until(
    () => acked(platform, 'processor'),
    (n) => n - before >= count,
    'the processor to acknowledge every event',
    900_000,
  );
  const done = performance.now();
  const inWindows = await until(
    () => dayTotals(platform.url('processor')).then((t) => t.events),
    (n) => n - counted === count,
    'every event in the day windows',
    120_000,
  );
  const rate = count / ((done - t0) / 1000);
  report({
    bench: 'pipeline',
    name: `sustained HTTP ingest → processor, every service running, on the ${platform.busKind} bus`,
    value: rate,
    unit: 'events/s',
    ceiling:
      reference === undefined
        ? { name: 'JSON.parse of the same bodies', value: parseRate(bodies, count) }
        : { name: 'the embedded bus in the same run', value: reference },
    ...(reference === undefined ? { target: { op: '>=' as const, value: 20_000 } } : {}),
    detail: `${fmt(count)} events in batches of ${BATCH}, posted in ${((posted - t0) / 1000).toFixed(1)} s, all applied in ${((done - t0) / 1000).toFixed(1)} s; ${fmt(inWindows - counted)} counted in the day windows`,
  });
  if (reference !== undefined)
    report({
      bench: 'pipeline',
      name: 'sustained rate on Pulsar / on the embedded bus (same run)',
      value: rate / reference,
      unit: '',
      target: { op: '>=', value: 0.7 },
    });
  return rate;
}
