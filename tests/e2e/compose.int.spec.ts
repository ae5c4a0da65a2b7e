import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { getJson, post, ROOT, until } from '../support/platform.js';

/**
 * The e2e tier: the whole platform from docker-compose.yml on real Apache Pulsar (with infra/compose.dev.yml:
 * test mode on, every port on the loopback), and the scenario of the browser tests over HTTP. Runs only where
 * a Docker engine answers (or E2E_COMPOSE=on); says why it skips otherwise.
 */
const docker = spawnSync('docker', ['info'], { encoding: 'utf8', timeout: 10_000 });
const available = docker.status === 0 || process.env.E2E_COMPOSE === 'on';
if (!available) {
  const why = docker.error
    ? docker.error.message
    : (docker.stderr || docker.stdout).trim().split('\n').at(-1);
  console.log(`compose e2e tier skipped: no Docker engine here (docker info: ${why})`);
}
const compose = (...args: string[]) =>
  execFileSync('docker', ['compose', '-f', 'docker-compose.yml', '-f', 'infra/compose.dev.yml', ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, DEMO: 'off' },
  });
const api = (path: string) => `http://127.0.0.1:3000/api${path}`;

(available ? describe : describe.skip)('docker compose up: the platform on Pulsar', () => {
  beforeAll(() => void compose('up', '-d', '--build', '--wait', '--wait-timeout', '600'), 900_000);
  afterAll(() => void compose('down', '-v'), 300_000);

  it('serves the dashboard and reports every service up', async () => {
    expect((await fetch('http://127.0.0.1:8080/')).status).toBe(200);
    const overview = await getJson<{ services: Record<string, { status: string }> }>(api('/overview'));
    expect(Object.values(overview.services).map((s) => s.status)).toEqual(['up', 'up', 'up', 'up', 'up']);
  });

  it('carries generated events through Pulsar to metrics, forecasts, anomalies and notifications', async () => {
    const job = await post(api('/generate'), {
      days: 40,
      stores: 2,
      products: 6,
      categories: 3,
      seed: 5,
      anomalies: 12,
    });
    await until(
      () => getJson<{ status: string }>(api(`/jobs/${job.body.job_id as string}`)),
      (j) => j.status === 'succeeded',
      'the history',
      120_000,
    );
    await until(
      () => getJson(api('/metrics?window=day&limit=1')),
      (m) => m.total > 0,
      'metrics',
      120_000,
    );
    await until(
      () => getJson(api('/forecasts?limit=1')),
      (f) => f.total > 0,
      'forecasts',
      300_000,
    );
    const injected = await post(api('/test-mode/anomalies'), {
      count: 4,
      kinds: ['price_spike', 'negative_stock', 'gibberish_description', 'quantity_spike'],
    });
    const score = await until(
      () =>
        getJson<{ labelled: number; overall: { all: { recall: number } } }>(
          api(`/test-mode/score?job_id=${injected.body.job_id as string}`),
        ),
      (s) => s.labelled === 4 && s.overall.all.recall === 1,
      'the injected anomalies detected',
      120_000,
    );
    expect(score.overall.all.recall).toBe(1);
    await until(
      () => getJson(api('/notifications?status=open')),
      (n) => n.total > 0,
      'notifications',
      60_000,
    );
  }, 900_000);
});
