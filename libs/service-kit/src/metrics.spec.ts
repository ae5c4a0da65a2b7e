import { describe, expect, it } from '@jest/globals';
import { createMetrics } from './metrics.js';
import { metricValue } from './testing.js';

/** prom-client's process and Node.js defaults under their standard names, the application's own prefixed. */
describe('createMetrics', () => {
  const scrape = async () => {
    const metrics = createMetrics('probe');
    metrics.bus.published?.('stockpulse.inventory-events', 2);
    return { text: await metrics.registry.metrics(), names: await familyNames(metrics) };
  };
  const familyNames = async (m: ReturnType<typeof createMetrics>) =>
    (await m.registry.getMetricsAsJSON()).map((f) => f.name);

  it('exposes the process and Node.js defaults under the names stock Node.js dashboards query', async () => {
    const { text, names } = await scrape();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(names).toContain(name);
    expect(metricValue(text, 'process_cpu_user_seconds_total', { service: 'probe' })).toBeGreaterThan(0);
    expect(
      metricValue(text, 'nodejs_eventloop_lag_p99_seconds', { service: 'probe' }),
    ).toBeGreaterThanOrEqual(0);
  });

  it("keeps the stockpulse_ prefix on the application's metrics, with the service label", async () => {
    const { text, names } = await scrape();
    expect(
      metricValue(text, 'stockpulse_bus_published_total', {
        service: 'probe',
        topic: 'stockpulse.inventory-events',
      }),
    ).toBe(2);
    expect(names).toEqual(
      expect.arrayContaining([
        'stockpulse_http_request_duration_seconds',
        'stockpulse_bus_consumed_total',
        'stockpulse_bus_dead_lettered_total',
        'stockpulse_bus_handler_duration_seconds',
      ]),
    );
  });

  it('has no default metric under the old stockpulse_ prefix, and no unprefixed application metric', async () => {
    const { text, names } = await scrape();
    expect(text).not.toMatch(/^(# (HELP|TYPE) )?stockpulse_(process|nodejs)_/m);
    for (const name of names) expect(name).toMatch(/^(process_|nodejs_)|^stockpulse_(http|bus)_/);
  });
});
