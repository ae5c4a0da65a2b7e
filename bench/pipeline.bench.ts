/**
 * `pnpm bench:pipeline`: the whole platform as real processes on one bus (ingest, processor,
 * anomaly, forecaster, notifier, gateway), in three phases:
 * 1. latency at a steady 1,000 events/s, to the metric and to the notification of an injected anomaly;
 * 2. sustained throughput of BENCH_EVENTS (1,000,000) events through HTTP ingest → processor, against the
 *    JSON parse rate of the same bodies;
 * 3. the gateway at 200 requests/s on its busiest reads, with those events stored.
 * Peak RSS of every service over phases 2 and 3. One figure per line; fails on no threshold.
 * `BUS=pulsar pnpm bench:pipeline` runs them on Apache Pulsar, after the embedded bus's throughput as its
 * reference in the same run. Then the loads of users at scale (./phases/scale.ts), on the embedded bus.
 * BENCH_LOADS (comma-separated) picks: `classic` (the three phases above), `partitions` (PARTITIONS=2 next to
 * 1, ./phases/partitions.ts), `series`, `broad`, `deep`,
 * `history`, `wide`; all by default. BENCH_LOAD_TIMEOUT (s, 900) bounds the wait for each load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerForTool } from '../infra/pulsar/broker.js';
import { Platform } from '../tests/support/platform.js';
import { gateway } from './phases/gateway.js';
import { latency } from './phases/latency.js';
import { partitionsPhase } from './phases/partitions.js';
import { scale } from './phases/scale.js';
import { throughput } from './phases/throughput.js';
import { acked, pendingSeries } from './support/consumed.js';
import { withProcessStats } from './support/process-stats.js';
import { fmt, report } from './support/report.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SERVICES = ['ingest', 'processor', 'anomaly', 'forecaster', 'notifier', 'gateway'];
const LOADS = new Set(
  (process.env.BENCH_LOADS ?? 'classic,series,broad,deep,history,wide').split(',').map((s) => s.trim()),
);

/**
 * Waits (up to `seconds`) for the platform to work off what the throughput phase left: the anomaly service
 * catching up with the processor, and the forecaster retraining every series whose history grew. The
 * gateway phase then measures the gateway with the data stored, not the backlog; how long this took, and
 * anything left, is reported.
 */
async function settle(platform: Platform, seconds: number): Promise<void> {
  const t0 = performance.now();
  const target = await acked(platform, 'processor');
  const startPending = await pendingSeries(platform);
  let behind = Infinity;
  let pending = Infinity;
  while (performance.now() - t0 < seconds * 1000) {
    behind = target - (await acked(platform, 'anomaly'));
    pending = await pendingSeries(platform);
    if (behind <= 0 && pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 800));
  }
  report({
    bench: 'pipeline',
    name: 'settling after the throughput phase (anomaly caught up, every changed series retrained)',
    value: (performance.now() - t0) / 1000,
    unit: 's',
    detail: `${fmt(startPending)} series to retrain at its start; left: ${fmt(Math.max(0, behind))} events behind, ${fmt(pending)} series pending`,
  });
}

/**
 * BUS=pulsar: first the embedded bus's sustained rate with the same events (the reference of this run), then
 * every phase on Pulsar (the broker of PULSAR_URL/PULSAR_ADMIN_URL, or a local one started here; its CPU is
 * counted beside the services').
 */
async function classic(): Promise<void> {
  let reference: number | undefined;
  let broker: Awaited<ReturnType<typeof brokerForTool>> | undefined;
  const work = mkdtempSync(join(tmpdir(), 'stockpulse-pipeline-'));
  if (process.env.BUS === 'pulsar') {
    const embedded = await Platform.start(SERVICES, { LOG_LEVEL: 'warn' });
    try {
      reference = await withProcessStats(
        embedded,
        'the throughput phase (embedded reference)',
        () => throughput(embedded, EVENTS),
        EVENTS,
      );
    } finally {
      await embedded.stop();
    }
    broker = await brokerForTool(work, (line) => console.log(`pulsar: ${line}`));
    process.env.PULSAR_URL = broker.url;
    process.env.PULSAR_ADMIN_URL = broker.adminUrl;
  }
  const platform = await Platform.start(SERVICES, { LOG_LEVEL: 'warn' }, broker ? 'pulsar' : 'embedded');
  const others: Record<string, number> = broker?.pid ? { 'pulsar broker': broker.pid } : {};
  try {
    await latency(
      platform,
      Number(process.env.BENCH_LATENCY_SECONDS ?? 20),
      Number(process.env.BENCH_LATENCY_RATE ?? 1000),
    );
    await withProcessStats(
      platform,
      'the throughput phase',
      () => throughput(platform, EVENTS, reference),
      EVENTS,
      others,
    );
    await settle(platform, Number(process.env.BENCH_SETTLE_SECONDS ?? 150));
    await withProcessStats(
      platform,
      'the gateway phase',
      () => gateway(platform, Number(process.env.BENCH_GATEWAY_SECONDS ?? 10), EVENTS),
      undefined,
      others,
    );
  } finally {
    await platform.stop();
    await broker?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (LOADS.has('classic')) await classic();
if (LOADS.has('partitions')) await partitionsPhase();
await scale(LOADS, Number(process.env.BENCH_LOAD_TIMEOUT ?? 900));
