import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/platform.js';
import { compose, prometheus } from './files.js';

const DURATION = /^(\d+(ms|s|m|h))+$/;
const seconds = (d: string) =>
  [...d.matchAll(/(\d+)(ms|s|m|h)/g)].reduce(
    (sum, [, n, unit]) =>
      sum + Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as 'ms' | 's' | 'm' | 'h'],
    0,
  );
const jobs = prometheus.scrape_configs ?? [];
const targetsOf = (job: string) =>
  jobs
    .filter((j) => j.job_name === job)
    .flatMap((j) => (j.static_configs ?? []).flatMap((s) => s.targets ?? []));

/** The compose services that serve HTTP: each listens on the port its `<NAME>_PORT` says. */
const httpServices = Object.entries(compose.services).flatMap(([name, s]) => {
  const port = s.environment?.[`${name.toUpperCase()}_PORT`];
  return port ? [{ name, port }] : [];
});

describe('infra/observability/prometheus.yml', () => {
  it('sets a global scrape interval, and a timeout within it', () => {
    const global = prometheus.global!;
    expect(global.scrape_interval).toMatch(DURATION);
    expect(global.evaluation_interval).toMatch(DURATION);
    if (global.scrape_timeout !== undefined) {
      expect(global.scrape_timeout).toMatch(DURATION);
      expect(seconds(global.scrape_timeout)).toBeLessThanOrEqual(seconds(global.scrape_interval!));
    }
  });

  it('gives every job a unique name, a metrics path and static host:port targets of compose services', () => {
    expect(jobs.length).toBeGreaterThan(0);
    expect(new Set(jobs.map((j) => j.job_name)).size).toBe(jobs.length);
    for (const job of jobs) {
      expect(job.job_name).toMatch(/^[a-zA-Z_][\w-]*$/);
      expect(job.metrics_path).toMatch(/^\/\S*$/);
      expect(job.static_configs?.length).toBeGreaterThan(0);
      for (const target of targetsOf(job.job_name)) {
        const [host, port] = target.split(':');
        expect(Object.keys(compose.services)).toContain(host);
        expect(Number(port)).toBeGreaterThan(0);
        expect(target).toBe(`${host}:${Number(port)}`);
      }
    }
  });

  it('scrapes /metrics of every service that serves HTTP, at its compose name and port', () => {
    // the HTTP services are exactly the folders of services/ (so this cannot pass on an empty list)
    const folders = readdirSync(join(ROOT, 'services'), { withFileTypes: true }).filter((d) =>
      d.isDirectory(),
    );
    expect(httpServices.map((s) => s.name).sort()).toEqual(folders.map((d) => d.name).sort());
    for (const { name, port } of httpServices) {
      expect(targetsOf(name)).toEqual([`${name}:${port}`]);
      expect(jobs.find((j) => j.job_name === name)!.metrics_path).toBe('/metrics');
    }
  });

  it("scrapes the Pulsar broker's metrics on the admin port the compose set-up uses", () => {
    const admin = new URL(compose.services['pulsar-init']!.environment!.PULSAR_ADMIN_URL!);
    expect(targetsOf('pulsar')).toEqual([admin.host]);
  });
});
