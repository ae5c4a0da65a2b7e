/**
 * The gateway under a steady 200 requests/s (autocannon, 10 connections, a fixed overall rate) on each of its
 * three busiest reads, one after the other, with everything the throughput phase stored behind it.
 */
import autocannon from 'autocannon';
import type { Platform } from '../../tests/support/platform.js';
import { fmt, report } from '../support/report.js';

export const GATEWAY_PATHS = [
  '/api/overview',
  '/api/metrics?window=day&limit=100',
  '/api/forecasts?limit=100',
] as const;

export async function gateway(
  platform: Platform,
  seconds: number,
  stored: number,
  rate = 200,
): Promise<void> {
  for (const path of GATEWAY_PATHS) {
    // a short warm-up so the first connections and JIT do not count
    await autocannon({ url: `${platform.gateway}${path}`, connections: 2, amount: 50 });
    const result = await autocannon({
      url: `${platform.gateway}${path}`,
      connections: 10,
      overallRate: rate,
      duration: seconds,
    });
    const bad = result.non2xx + result.errors + result.timeouts;
    const served = `${result.requests.total} requests, ${bad} not 2xx or failed, ${Math.round(result.requests.average)} req/s`;
    report({
      bench: 'gateway',
      name: `GET ${path} at ${rate} req/s, ${fmt(stored)} events stored, p50`,
      value: result.latency.p50,
      unit: 'ms',
      detail: served,
    });
    report({
      bench: 'gateway',
      name: `GET ${path} at ${rate} req/s, ${fmt(stored)} events stored, p99`,
      value: result.latency.p99,
      unit: 'ms',
      target: { op: '<=', value: 50 },
      detail: `max ${result.latency.max} ms`,
    });
  }
}
