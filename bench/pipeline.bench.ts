/**
 * `pnpm bench:pipeline`: the whole platform as real processes on one embedded bus (ingest, processor,
 * anomaly, forecaster, notifier, gateway), in three phases:
 * 1. latency at a steady 1,000 events/s, to the metric and to the notification of an injected anomaly;
 * 2. sustained throughput of BENCH_EVENTS (1,000,000) events through HTTP ingest → processor, against the
 *    JSON parse rate of the same bodies;
 * 3. the gateway at 200 requests/s on its busiest reads, with those events stored.
 * Peak RSS of every service over phases 2 and 3. One figure per line; fails on no threshold.
 */
import { Platform } from '../tests/support/platform.js';
import { gateway } from './phases/gateway.js';
import { latency } from './phases/latency.js';
import { throughput } from './phases/throughput.js';
import { acked } from './support/consumed.js';
import { withProcessStats } from './support/process-stats.js';
import { fmt, report } from './support/report.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SERVICES = ['ingest', 'processor', 'anomaly', 'forecaster', 'notifier', 'gateway'];

/**
 * Waits (up to `seconds`) for the anomaly service to catch up with the processor, so the gateway phase
 * measures the gateway, not a backlog; reports how long that took and what was left.
 */
async function settle(platform: Platform, seconds: number): Promise<void> {
  const t0 = performance.now();
  const target = await acked(platform, 'processor');
  let seen = await acked(platform, 'anomaly');
  while (seen < target && performance.now() - t0 < seconds * 1000) seen = await acked(platform, 'anomaly');
  report({
    bench: 'pipeline',
    name: 'anomaly service catching up after the throughput phase',
    value: (performance.now() - t0) / 1000,
    unit: 's',
    detail: `${fmt(Math.max(0, target - seen))} events still behind the processor after it`,
  });
}

const platform = await Platform.start(SERVICES, { LOG_LEVEL: 'warn' });
try {
  await latency(platform, Number(process.env.BENCH_LATENCY_SECONDS ?? 20));
  await withProcessStats(platform, 'the throughput phase', () => throughput(platform, EVENTS), EVENTS);
  await settle(platform, Number(process.env.BENCH_SETTLE_SECONDS ?? 120));
  await withProcessStats(platform, 'the gateway phase', () =>
    gateway(platform, Number(process.env.BENCH_GATEWAY_SECONDS ?? 10)),
  );
} finally {
  await platform.stop();
}
