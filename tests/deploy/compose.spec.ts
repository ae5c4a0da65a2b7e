import { describe, expect, it } from '@jest/globals';
import { PARTITIONED_SERVICES, SUBSCRIPTIONS, topicNames } from '@stockpulse/contracts';
import { RELAYED } from '../../services/gateway/src/relay.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/platform.js';

type Service = {
  build?: { dockerfile: string; args?: Record<string, string> };
  image?: string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
};
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const folders = readdirSync(join(ROOT, 'services'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const source = (service: string, file: string) =>
  readFileSync(join(ROOT, 'services', service, 'src', file), 'utf8');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [readFileSync(join(dir, e.name), 'utf8')]
        : [],
  );

/** docker-compose.yml against the code: they cannot drift apart unnoticed. */
describe('docker-compose.yml', () => {
  it('runs every service of services/, built from the one Dockerfile, on Pulsar', () => {
    expect(
      Object.keys(compose.services)
        // the broker, its set-up, and the optional profiles' tools (observability: prometheus, grafana) aside
        .filter((s) => !s.startsWith('pulsar') && !compose.services[s]!.profiles)
        .sort(),
    ).toEqual([...folders].sort());
    for (const name of folders) {
      const s = compose.services[name]!;
      expect(s.build).toMatchObject({ dockerfile: 'infra/Dockerfile', args: { SERVICE: name } });
      expect(s.environment).toMatchObject({
        BUS: 'pulsar',
        PULSAR_URL: 'pulsar://pulsar:6650',
        HOST: '0.0.0.0',
      });
      expect(s.depends_on).toMatchObject({
        pulsar: { condition: 'service_healthy' },
        'pulsar-init': { condition: 'service_completed_successfully' },
      });
    }
  });

  it('checks each service on /ready at the port its configuration listens on', () => {
    for (const name of folders) {
      const port = /Port\((\d+)\)/.exec(source(name, 'config.ts'))![1];
      const s = compose.services[name]!;
      expect(s.environment![`${name.toUpperCase()}_PORT`]).toBe(port);
      expect(s.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${port}/ready`);
    }
  });

  it('keeps each store on a named volume, and publishes only the gateway and the dashboard', () => {
    for (const name of folders) {
      const s = compose.services[name]!;
      if (/store: \{ file: '/.test(source(name, 'main.ts'))) {
        expect(s.volumes).toEqual([`${name}-data:/data`]);
        expect(compose.volumes).toHaveProperty(`${name}-data`);
      }
      expect(s.ports ?? []).toEqual(
        name === 'gateway' ? ['3000:3000'] : name === 'dashboard' ? ['8080:8080'] : [],
      );
    }
  });

  it('runs the Pulsar 4 the local broker runs, advertised to the network under its compose name', () => {
    const pulsar = compose.services.pulsar!;
    const pinned = /<pulsar.version>([^<]+)</.exec(
      readFileSync(join(ROOT, 'infra/pulsar/pom.xml'), 'utf8'),
    )![1];
    expect(pulsar.image).toBe(`apachepulsar/pulsar:${pinned}`);
    expect(pulsar.healthcheck!.test.join(' ')).toContain('brokers healthcheck');
    expect(pulsar.environment).toMatchObject({
      PULSAR_PREFIX_advertisedListeners: expect.stringMatching(/^internal:pulsar:\/\/pulsar:6650,external:/),
      PULSAR_PREFIX_internalListenerName: 'internal',
    });
  });

  it('sets Pulsar up with the code the tests run, from a service image', () => {
    const init = compose.services['pulsar-init']!;
    expect(init.build).toMatchObject({ dockerfile: 'infra/Dockerfile' });
    expect((init as { command: string[] }).command).toEqual([
      'node',
      'node_modules/@stockpulse/bus/dist/pulsar/setup-main.js',
    ]);
    expect(init.environment).toMatchObject({ PULSAR_ADMIN_URL: 'http://pulsar:8080' });
  });

  it("knows every subscription of the services' code (the set-up makes each with its dead-letter topic)", () => {
    const code = folders.flatMap((f) => sources(join(ROOT, 'services', f, 'src'))).join('\n');
    const used = new Set(
      [...code.matchAll(/'(stockpulse\.[a-z-]+)',\s*\{\s*subscription: '([a-z-]+)'/g)].map(
        (m) => `${m[1]}/${m[2]}`,
      ),
    );
    for (const topic of Object.keys(RELAYED)) used.add(`${topic}/gateway-stream`);
    expect(used.size).toBeGreaterThanOrEqual(10);
    expect(new Set(SUBSCRIPTIONS.map((s) => `${s.topic}/${s.subscription}`))).toEqual(used);
    expect(new Set(SUBSCRIPTIONS.map((s) => s.topic))).toEqual(new Set(topicNames));
  });
});

/** docker-compose.partitions.yml: two partitions, a second replica of every stateful service, wired up. */
describe('docker-compose.partitions.yml', () => {
  const over = parse(readFileSync(join(ROOT, 'docker-compose.partitions.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service & { extends?: { file: string; service: string } }>;
    volumes: Record<string, unknown>;
  };
  const PORTS: Record<string, number> = { processor: 3002, forecaster: 3003, anomaly: 3004, notifier: 3005 };

  it('starts every service and the Pulsar set-up with PARTITIONS=2', () => {
    for (const name of [...folders, 'pulsar-init'])
      expect(over.services[name]?.environment?.PARTITIONS).toBe('2');
  });

  it('adds replica 1 of each stateful service, on its own volume, checked at its port + 10', () => {
    for (const service of PARTITIONED_SERVICES) {
      const r = over.services[`${service}-1`]!;
      expect(r.extends).toEqual({ file: 'docker-compose.yml', service });
      expect(r.environment).toMatchObject({ PARTITIONS: '2', REPLICA: '1' });
      expect(r.volumes).toEqual([`${service}-1-data:/data`]);
      expect(Object.keys(over.volumes)).toContain(`${service}-1-data`);
      expect(r.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${PORTS[service]! + 10}/ready`);
    }
  });

  it('tells the gateway where every replica answers, in replica order', () => {
    const env = over.services.gateway!.environment!;
    for (const service of PARTITIONED_SERVICES) {
      expect(env[`${service.toUpperCase()}_URLS`]).toBe(
        `http://${service}:${PORTS[service]},http://${service}-1:${PORTS[service]! + 10}`,
      );
    }
  });
});
