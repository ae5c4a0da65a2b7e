import type { BusObserver } from '@stockpulse/bus';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics of one service: process defaults, HTTP, and the bus (published, consumed,
 * redelivered, dead-lettered, handler duration). One registry per app, so tests can build many apps.
 * prom-client's process and Node.js defaults keep their standard names (`process_cpu_user_seconds_total`,
 * `nodejs_eventloop_lag_p99_seconds`, …) so that stock Node.js dashboards find them; the application's own
 * metrics all start with `stockpulse_`. Every series carries the `service` label.
 */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });

  const http = new Histogram({
    name: 'stockpulse_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const published = new Counter({
    name: 'stockpulse_bus_published_total',
    help: 'Messages published, by topic',
    labelNames: ['topic'] as const,
    registers: [registry],
  });
  const consumed = new Counter({
    name: 'stockpulse_bus_consumed_total',
    help: 'Deliveries handled, by topic, subscription and outcome (acked, retried, dead_lettered)',
    labelNames: ['topic', 'subscription', 'outcome'] as const,
    registers: [registry],
  });
  const redelivered = new Counter({
    name: 'stockpulse_bus_redelivered_total',
    help: 'Deliveries after the first of the same message',
    labelNames: ['topic', 'subscription'] as const,
    registers: [registry],
  });
  const deadLettered = new Counter({
    name: 'stockpulse_bus_dead_lettered_total',
    help: 'Messages moved to a dead-letter topic',
    labelNames: ['topic', 'subscription'] as const,
    registers: [registry],
  });
  const handlerDuration = new Histogram({
    name: 'stockpulse_bus_handler_duration_seconds',
    help: 'Time a message handler took, by topic and subscription',
    labelNames: ['topic', 'subscription'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });

  const bus: BusObserver = {
    published: (topic, count) => published.inc({ topic }, count),
    handled: ({ topic, subscription, outcome, attempt, seconds }) => {
      consumed.inc({ topic, subscription, outcome });
      handlerDuration.observe({ topic, subscription }, seconds);
      if (attempt > 1) redelivered.inc({ topic, subscription });
      if (outcome === 'dead_lettered') deadLettered.inc({ topic, subscription });
    },
  };

  return { registry, http, bus };
}

export type Metrics = ReturnType<typeof createMetrics>;
