import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/platform.js';
import { compose, dashboardProviders, datasources, mountOf, type ComposeService } from './files.js';

const prometheus = compose.services.prometheus!;
const grafana = compose.services.grafana!;
/** Host ports published by the compose file and its dev override. */
const published = (services: Record<string, ComposeService>) =>
  Object.entries(services).flatMap(([name, s]) =>
    (s.ports ?? []).map((p) => ({ name, host: p.split(':').slice(-2)[0]!, container: p.split(':').at(-1)! })),
  );
const dev = parse(readFileSync(join(ROOT, 'infra/compose.dev.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};

/** docker-compose.yml's optional `observability` profile: Prometheus and Grafana on infra/observability. */
describe('the observability compose profile', () => {
  it('runs Prometheus and Grafana only with --profile observability', () => {
    const inProfile = Object.entries(compose.services).filter(([, s]) =>
      s.profiles?.includes('observability'),
    );
    expect(inProfile.map(([name]) => name).sort()).toEqual(['grafana', 'prometheus']);
    expect(prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    // nothing a plain `docker compose up` starts waits for them
    for (const [name, s] of Object.entries(compose.services)) {
      if (s.profiles) continue;
      const on = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      expect({ name, on: on.filter((d) => d === 'prometheus' || d === 'grafana') }).toEqual({ name, on: [] });
    }
  });

  it('mounts the scrape config, provisioning and dashboards read-only where each tool reads them', () => {
    expect(mountOf(prometheus, 'infra/observability/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    expect(mountOf(grafana, 'infra/observability/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const provider = dashboardProviders.providers.find((p) => p.type === 'file')!;
    expect(mountOf(grafana, 'infra/observability/grafana/dashboards')).toBe(provider.options.path);
  });

  it('points Grafana at the compose Prometheus, on the port Prometheus listens on', () => {
    expect(datasources.apiVersion).toBe(1);
    const [source, ...others] = datasources.datasources;
    expect(others).toEqual([]);
    expect(source).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true });
    expect(published(compose.services)).toContainEqual({
      name: 'prometheus',
      host: '9090',
      container: '9090',
    });
  });

  it('publishes Grafana on a host port no other service of compose or its dev override takes', () => {
    const ports = [...published(compose.services), ...published(dev.services)];
    const own = ports.find((p) => p.name === 'grafana')!;
    expect(own.container).toBe('3000');
    expect(ports.filter((p) => p.host === own.host).map((p) => p.name)).toEqual(['grafana']);
    const hosts = ports.map((p) => p.host);
    expect(new Set(hosts).size).toBe(hosts.length);
  });
});
