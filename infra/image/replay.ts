/**
 * `pnpm image:replay`: the container images' build steps replayed outside Docker (no Docker engine on these
 * machines; CI runs this on every run), up to the container boundary. For every service of docker-compose.yml:
 * what infra/Dockerfile does (the workspace compiled, the dashboard's page built, `pnpm deploy --prod --legacy`,
 * its native modules checked from the deployed folder), then the compose file's own `pulsar-init` command from a
 * deployed folder, then every deployed service started from `dist/` with the compose file's environment on
 * Apache Pulsar, an event carried through to the day metrics and the page served, and all stopped with SIGTERM.
 *
 * The broker: PULSAR_URL and PULSAR_ADMIN_URL, or a local one started here. What differs from compose, and why:
 * loopback and free ports instead of 0.0.0.0 and fixed ones (tests start nothing else); `pulsar` and the service
 * host names become those addresses; a namespace of its own; pulsar-client's native binding is optional here
 * (the image builds it and requires it; here it cannot be installed, so the services use the WebSocket API).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { brokerForTool, freePort } from '../pulsar/broker.js';
import { readyWithin, stopChild } from '../children.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const say = (line: string) => console.log(`image replay: ${line}`);
type ComposeService = {
  build?: { args?: { SERVICE?: string } };
  environment?: Record<string, string>;
  command?: string[];
};
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const run = (cmd: string, args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });

const services = Object.entries(compose.services)
  .filter(([name, s]) => s.build?.args?.SERVICE === name)
  .map(([name, s]) => ({
    name,
    env: s.environment ?? {},
    port: 0,
    child: undefined as ChildProcess | undefined,
  }));
const work = mkdtempSync(join(tmpdir(), 'stockpulse-image-'));
let broker: { url: string; adminUrl: string; stop: () => Promise<void> } | undefined;
let failed = false;

try {
  say(`${services.length} services: ${services.map((s) => s.name).join(', ')}`);
  // the build stage: compile, build the page
  run('pnpm', ['exec', 'tsc', '-b']);
  run('pnpm', ['--filter', '@stockpulse/dashboard', 'exec', 'vite', 'build', 'web', '--logLevel', 'warn']);
  for (const s of services) {
    const out = join(work, s.name);
    const t0 = performance.now();
    execFileSync('pnpm', ['--filter', `@stockpulse/${s.name}`, 'deploy', '--prod', '--legacy', out], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    say(`${s.name}: deployed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    run('node', [join(ROOT, 'infra/image/check-native.mjs'), out, '--pulsar', 'optional']);
  }

  broker = await brokerForTool(join(work, 'pulsar'), say);
  const namespace = `public/image-replay-${process.pid}`;
  const busEnv = { PULSAR_URL: broker.url, PULSAR_ADMIN_URL: broker.adminUrl, PULSAR_NAMESPACE: namespace };
  const init = compose.services['pulsar-init']!;
  say(`pulsar-init: ${init.command!.join(' ')}`);
  run(init.command![0]!, init.command!.slice(1), join(work, 'ingest'), { ...process.env, ...busEnv });

  for (const s of services) s.port = await freePort();
  // compose's own interpolation (`${NAME:-default}`) from this environment, then this machine's addresses
  const interpolate = (value: string) =>
    value.replace(
      /\$\{(\w+)(?::?-([^}]*))?\}/g,
      (_: string, name: string, fallback: string | undefined) => process.env[name] || fallback || '',
    );
  const local = (value: string) =>
    services.reduce(
      (v, s) => v.replace(new RegExp(`^http://${s.name}:\\d+`), `http://127.0.0.1:${s.port}`),
      value,
    );
  for (const s of services) {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      // the image's ENV, then the compose file's environment, then this machine's addresses
      NODE_ENV: 'production',
      LOG_PRETTY: 'off',
      ...Object.fromEntries(Object.entries(s.env).map(([k, v]) => [k, local(interpolate(String(v)))])),
      ...busEnv,
      HOST: '127.0.0.1',
      DATA_DIR: join(work, `${s.name}-data`),
      DEMO: 'off',
      LOG_LEVEL: 'warn',
      [`${s.name.toUpperCase()}_PORT`]: String(s.port),
    };
    s.child = spawn(process.execPath, ['dist/main.js'], { cwd: join(work, s.name), env, stdio: 'inherit' });
    await readyWithin(`http://127.0.0.1:${s.port}/ready`, 60_000, s.child);
    say(`${s.name}: ready on ${s.port} (${env.BUS}, from ${join(s.name, 'dist/main.js')})`);
  }
  await smoke(
    services.find((s) => s.name === 'gateway')!.port,
    services.find((s) => s.name === 'dashboard')!.port,
  );
} catch (err) {
  failed = true;
  console.error(`image replay failed: ${(err as Error).message}`);
} finally {
  const exits = await Promise.all(services.map((s) => stop(s.name, s.child)));
  if (exits.some((ok) => !ok)) failed = true;
  await broker?.stop();
  rmSync(work, { recursive: true, force: true });
}
say(failed ? 'FAILED' : 'every service built, deployed, started on Pulsar and stopped cleanly');
process.exit(failed ? 1 : 0);

/** An event through the deployed gateway, ingest and processor to the day metrics; the page from its folder. */
async function smoke(gateway: number, dashboard: number): Promise<void> {
  const event = { product_id: 'P1', store_location: 'Image', category: 'Replay', quantity: 3, price: 2 };
  const body = JSON.stringify({ ...event, event_timestamp: '2026-01-01T10:00:00Z' });
  const headers = { 'content-type': 'application/json' };
  const posted = await fetch(`http://127.0.0.1:${gateway}/api/events`, { method: 'POST', headers, body });
  if (posted.status !== 202) throw new Error(`POST /api/events answered ${posted.status}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const metrics = (await (
      await fetch(`http://127.0.0.1:${gateway}/api/metrics?store=Image&window=day`)
    ).json()) as { total: number };
    if (metrics.total === 1) break;
    if (Date.now() > deadline) throw new Error('the event did not reach the day metrics within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const page = await fetch(`http://127.0.0.1:${dashboard}/`);
  if (page.status !== 200) throw new Error(`the dashboard answered ${page.status}`);
  say('an event went through gateway → ingest → Pulsar → processor to the day metrics; the page is served');
}

/** SIGTERM, and exit code 0 within 20 s. */
async function stop(name: string, child: ChildProcess | undefined): Promise<boolean> {
  if (!child) return true;
  const code = await stopChild(child, 20_000);
  if (code !== 0) console.error(`image replay: ${name} ended with ${code ?? child.signalCode} on SIGTERM`);
  return code === 0;
}
