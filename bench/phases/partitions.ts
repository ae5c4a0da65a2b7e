/**
 * PARTITIONS=2 next to 1, in one run: the same seeded events posted to ingest, processed by one replica of the
 * processor and the anomaly service, then by two of each (each owning half the stores). On one two-core
 * machine this shows the overhead of partitioning, not its gain: the replicas share the same two cores. The
 * gain per added machine is estimated from the CPU each replica spends per event: a machine per replica takes
 * its share of the stores at the rate its busiest service allows.
 */
import { dayTotals, Platform, post, until } from '../../tests/support/platform.js';
import { cpuSeconds } from '../support/process-stats.js';
import { fmt, report } from '../support/report.js';
import { history } from './throughput.js';

const STATEFUL = ['processor', 'anomaly'];

async function run(partitions: number, bodies: string[], count: number) {
  const names = [
    'ingest',
    ...STATEFUL.flatMap((s) => Array.from({ length: partitions }, (_, i) => `${s}@${i}`)),
  ];
  const p = await Platform.start(names, { LOG_LEVEL: 'warn', PARTITIONS: String(partitions) });
  try {
    const cpu0 = new Map(names.map((n) => [n, cpuSeconds(p.pid(n))]));
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const res = await post(`${p.url('ingest')}/api/events`, bodies[next++]!);
        if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
      }
    };
    await Promise.all([worker(), worker()]);
    const replicas = Array.from({ length: partitions }, (_, i) => i);
    await until(
      async () =>
        (await Promise.all(replicas.map((i) => dayTotals(p.url(`processor@${i}`))))).reduce(
          (s, t) => s + t.events,
          0,
        ),
      (n) => n === count,
      'every event in the day windows of one replica or another',
      900_000,
    );
    const seconds = (performance.now() - t0) / 1000;
    const msPerThousand = new Map(
      names.map((n) => [n, ((cpuSeconds(p.pid(n)) - cpu0.get(n)!) * 1e6) / count]),
    );
    // each replica's own events (its stores'), for its CPU per event of its own
    const own = await Promise.all(
      replicas.map(async (i) => (await dayTotals(p.url(`processor@${i}`))).events),
    );
    return { rate: count / seconds, msPerThousand, own };
  } finally {
    await p.stop();
  }
}

export async function partitionsPhase(
  count = Number(process.env.BENCH_PARTITION_EVENTS ?? 100_000),
): Promise<void> {
  const bodies = history(count);
  const one = await run(1, bodies, count);
  const two = await run(2, bodies, count);
  report({
    bench: 'pipeline',
    name: 'PARTITIONS=2 / PARTITIONS=1, HTTP ingest → processor, on one two-core machine (the overhead, not the gain)',
    value: two.rate / one.rate,
    unit: '',
    detail: `${fmt(count)} events: ${fmt(one.rate)} events/s with one partition, ${fmt(two.rate)} with two`,
  });
  for (const service of ['ingest', ...STATEFUL]) {
    const per = (r: typeof one) =>
      [...r.msPerThousand].filter(([n]) => n.split('@')[0] === service).map(([, ms]) => ms);
    const single = per(one).reduce((a, b) => a + b, 0);
    const parts = per(two);
    report({
      bench: 'pipeline',
      name: `CPU per 1,000 events, ${service}: all replicas together with two partitions / with one`,
      value: parts.reduce((a, b) => a + b, 0) / single,
      unit: '',
      detail: `${single.toFixed(0)} ms with one; ${parts.map((ms) => ms.toFixed(0)).join(' + ')} ms with two`,
    });
  }
  // a machine per replica: each takes its own stores' events at the pace of its busiest service
  const perOwn = (i: number) =>
    Math.max(...STATEFUL.map((s) => (two.msPerThousand.get(`${s}@${i}`)! * count) / two.own[i]!));
  const slowest = Math.max(perOwn(0), perOwn(1));
  console.log(
    `estimate: with two partitions a replica spends up to ${slowest.toFixed(0)} ms of CPU per 1,000 of its own events (its busiest service; ${two.own.map((n) => fmt(n)).join(' and ')} events each), so a machine per replica (a core per stateful service) takes about ${fmt(1e6 / slowest)} events/s of its stores: each added machine adds about that, if ingest (which scales out alone) and Pulsar keep up`,
  );
}
