import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '@stockpulse/service-kit';
import { buildTestApp, eventually, metricValue, type TestApp } from '@stockpulse/service-kit/testing';
import * as ingest from '../../services/ingest/src/app.js';
import { IngestConfig } from '../../services/ingest/src/config.js';
import * as processor from '../../services/processor/src/app.js';
import { ProcessorConfig } from '../../services/processor/src/config.js';
import { dashboards, prometheus, queriesOf } from './files.js';
import { parsePromQL, parseVariableQuery } from './promql.js';

/** Series Prometheus makes itself for every target, with the labels it gives them. */
const PROMETHEUS_OWN: Record<string, string[]> = { up: ['job', 'instance'] };

/** Each sample name of a Prometheus text exposition with the label names it carries. */
function exposed(text: string): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? \S+$/.exec(line);
    if (!sample) continue;
    const labels = names.get(sample[1]!) ?? new Set<string>();
    for (const [, label] of (sample[2] ?? '').matchAll(/(\w+)="(?:[^"\\]|\\.)*"/g)) labels.add(label!);
    names.set(sample[1]!, labels);
  }
  return names;
}

/**
 * The metric names of the dashboard and the scrape config against what real services serve: ingest and
 * processor built in process on one embedded bus, an event posted through and consumed, a probe subscription
 * that fails until its message is dead-lettered (every bus counter then has samples), /metrics scraped.
 */
describe('every metric the dashboards and prometheus.yml name, on a real /metrics', () => {
  let apps: TestApp[] = [];
  let series = new Map<string, Set<string>>();

  beforeAll(async () => {
    const first = await buildTestApp((deps) => ingest.buildApp(deps, loadConfig(IngestConfig, {})), {
      name: 'ingest',
      migrations: ingest.migrations,
    });
    const config = loadConfig(ProcessorConfig, { PROCESSOR_FLUSH_MS: '20' });
    const second = await buildTestApp((deps) => processor.buildApp(deps, config), {
      name: 'processor',
      migrations: processor.migrations,
      busDir: first.dir,
    });
    apps = [second, first];
    await second.bus.subscribe(
      'stockpulse.inventory-events',
      { subscription: 'probe', retry: { maxAttempts: 2, backoffBaseMs: 1, backoffMaxMs: 1 } },
      () => {
        throw new Error('always fails');
      },
    );
    const posted = await first.app.inject({
      method: 'POST',
      url: '/api/events',
      payload: {
        product_id: 'P1',
        store_location: 'NYC',
        category: 'Books',
        quantity: 4,
        price: 2,
        event_timestamp: '2025-01-10T09:00:00Z',
      },
    });
    expect(posted.statusCode).toBe(202);
    const scrape = async () => (await second.app.inject({ url: '/metrics' })).body;
    const labels = (subscription: string, outcome: string) =>
      ({ topic: 'stockpulse.inventory-events', subscription, outcome }) as Record<string, string>;
    await eventually(
      scrape,
      (text) =>
        metricValue(text, 'stockpulse_bus_consumed_total', labels('processor', 'acked')) === 1 &&
        metricValue(text, 'stockpulse_bus_consumed_total', labels('probe', 'dead_lettered')) === 1,
      'the processor to consume the event and the probe to dead-letter it',
    );
    const texts = await Promise.all(apps.map(async (t) => (await t.app.inject({ url: '/metrics' })).body));
    series = exposed(texts.join('\n'));
  });
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  it('finds samples of the bus, HTTP and default metrics (the scrape is real)', () => {
    for (const name of [
      'stockpulse_bus_dead_lettered_total',
      'stockpulse_http_request_duration_seconds_bucket',
    ])
      expect(series.get(name)).toBeDefined();
    expect([...series.keys()].filter((n) => n.startsWith('stockpulse_process_'))).toEqual([]);
  });

  it.each(Object.keys(dashboards))('%s names only metrics and labels the services export', (file) => {
    for (const { where, query, variable } of queriesOf(dashboards[file])) {
      const parsed = variable ? parseVariableQuery(query) : parsePromQL(query);
      const known = (metric: string) => series.get(metric) ?? new Set(PROMETHEUS_OWN[metric]);
      const available = new Set(parsed.selectors.flatMap((s) => [...known(s.metric ?? '')]));
      for (const { metric, labels } of parsed.selectors) {
        expect({ where, metric, exported: series.has(metric!) || metric! in PROMETHEUS_OWN }).toEqual({
          where,
          metric,
          exported: true,
        });
        expect({ where, metric, labels: labels.filter((l) => !known(metric!).has(l)) }).toEqual({
          where,
          metric,
          labels: [],
        });
      }
      expect({ where, grouping: parsed.grouping.filter((l) => !available.has(l)) }).toEqual({
        where,
        grouping: [],
      });
    }
  });

  it('keeps every metric name a scrape job filters on', () => {
    // prometheus.yml filters no metric today; a `__name__` relabel rule added later must still match one
    for (const job of prometheus.scrape_configs ?? []) {
      const rules = (job.metric_relabel_configs ?? []) as { source_labels?: string[]; regex?: string }[];
      for (const rule of rules.filter((r) => r.source_labels?.includes('__name__'))) {
        const regex = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`);
        expect({
          job: job.job_name,
          regex: rule.regex,
          matches: [...series.keys()].some((n) => regex.test(n)),
        }).toEqual({
          job: job.job_name,
          regex: rule.regex,
          matches: true,
        });
      }
    }
  });
});
