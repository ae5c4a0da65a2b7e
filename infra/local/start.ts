/**
 * `pnpm start`: every service in services/ as its own process on the embedded bus, their output prefixed
 * with their name; a service that crashes is started again (with backoff); Ctrl-C stops them all cleanly
 * (SIGTERM, then SIGKILL after 20 s; a second Ctrl-C kills them, and a local broker, at once). On an empty DATA_DIR the ingest
 * service seeds the demo history and a slow live stream (DEMO, on by default here).
 *
 * `PARTITIONS=3 pnpm start` runs three replicas of each stateful service (contracts' PARTITIONED_SERVICES),
 * replica i as `<service>#i` on the service's port + 10 × i, each owning the stores of its partition; the
 * gateway answers for all of them.
 *
 * `BUS=pulsar pnpm start` runs them on Apache Pulsar: on the broker PULSAR_URL names, or, with PULSAR_URL
 * unset, on a local one started first (infra/pulsar: `pnpm pulsar`) and stopped last. Either way the topics,
 * subscriptions and dead-letter topics are set up before any service starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PARTITIONED_SERVICES } from '@stockpulse/contracts';
import type { LocalBroker } from '../pulsar/broker.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Start order: consumers before producers, so nothing waits; the gateway and dashboard last. */
const ORDER = ['processor', 'forecaster', 'anomaly', 'notifier', 'ingest', 'gateway', 'dashboard'];
const PORTS: Record<string, number> = {
  gateway: 3000,
  ingest: 3001,
  processor: 3002,
  forecaster: 3003,
  anomaly: 3004,
  notifier: 3005,
  dashboard: 8080,
};

const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
const services = readdirSync(join(root, 'services'))
  .filter((name) => existsSync(join(root, 'services', name, 'src/main.ts')))
  .sort((a, b) => rank(a) - rank(b));

const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATA_DIR: dataDir,
  DEMO: process.env.DEMO ?? 'on',
  TEST_MODE: process.env.TEST_MODE ?? 'on',
  LOG_PRETTY: process.env.LOG_PRETTY ?? (process.stdout.isTTY ? 'on' : 'off'),
  // each service stops by itself if this launcher dies without stopping it
  PARENT_PID: String(process.pid),
};
const onPulsar = env.BUS === 'pulsar';
let broker: LocalBroker | undefined;
const host = env.HOST ?? '127.0.0.1';
const partitions = Number(env.PARTITIONS ?? 1);
if (!Number.isInteger(partitions) || partitions < 1 || partitions > 64) {
  console.error(`stockpulse: PARTITIONS must be a whole number from 1 to 64 (got ${env.PARTITIONS})`);
  process.exit(1);
}
const port = (service: string) => Number(env[`${service.toUpperCase()}_PORT`] ?? PORTS[service]);
const url = (service: string, replica = 0) =>
  (replica === 0 && env[`${service.toUpperCase()}_URL`]) ||
  `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port(service) + 10 * replica}`;

interface Running {
  /** `processor`, or `processor#1` for replica 1 when PARTITIONS > 1. */
  name: string;
  service: string;
  replica: number;
  child?: ChildProcess;
  restarts: number;
  startedAt: number;
}

const running: Running[] = services.flatMap((service) => {
  const replicas = PARTITIONED_SERVICES.includes(service) ? partitions : 1;
  return Array.from({ length: replicas }, (_, replica) => ({
    name: replicas > 1 ? `${service}#${replica}` : service,
    service,
    replica,
    restarts: 0,
    startedAt: 0,
  }));
});

const colours = [36, 35, 33, 32, 34, 31, 90];
const width = Math.max(...running.map((r) => r.name.length));
let stopping = false;

function label(name: string): string {
  const index = services.indexOf(name.split('#')[0]!);
  const colour = index < 0 ? 90 : colours[index % colours.length];
  const text = name.padEnd(width);
  return process.stdout.isTTY ? `\u001b[${colour}m${text}\u001b[0m │ ` : `${text} │ `;
}

function pipe(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) {
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) out.write(`${label(name)}${line}\n`);
  });
}

function start(r: Running): void {
  const main = join(root, 'services', r.service, 'src/main.ts');
  const child = spawn(process.execPath, ['--conditions=@stockpulse/source', '--import', 'tsx', main], {
    cwd: root,
    env: { ...env, REPLICA: String(r.replica) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group: Ctrl-C reaches only this launcher, which stops the services in order
    detached: true,
  });
  r.child = child;
  r.startedAt = Date.now();
  pipe(r.name, child.stdout, process.stdout);
  pipe(r.name, child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    r.child = undefined;
    if (stopping) return;
    if (Date.now() - r.startedAt > 60_000) r.restarts = 0;
    const delay = Math.min(30_000, 1000 * 2 ** r.restarts++);
    process.stderr.write(
      `${label(r.name)}exited (${signal ?? `code ${code}`}); starting it again in ${delay / 1000} s\n`,
    );
    setTimeout(() => !stopping && start(r), delay);
  });
}

// a Ctrl-C while the broker starts stops that start (the broker runs in its own process group)
const brokerStart = new AbortController();
const starting = onPulsar ? pulsarFirst() : Promise.resolve();
process.on('SIGINT', (s) => void stop(s));
process.on('SIGTERM', (s) => void stop(s));
await starting;
if (!stopping) {
  const where = onPulsar ? `on Apache Pulsar (${env.PULSAR_URL})` : 'on the embedded bus';
  const replicas = partitions > 1 ? ` (${partitions} partitions of the stores)` : '';
  console.log(`stockpulse: ${running.length} processes ${where}${replicas}, data in ${dataDir}`);
  for (const r of running) console.log(`  ${r.name.padEnd(width)}  ${url(r.service, r.replica)}`);
  console.log(`  API ${url('gateway')}/api  ·  dashboard ${url('dashboard')}  ·  Ctrl-C stops everything\n`);
  for (const r of running) start(r);
}

async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    for (const r of running) r.child?.kill('SIGKILL');
    if (broker) process.kill(broker.pid, 'SIGKILL');
    process.exit(1);
  }
  stopping = true;
  brokerStart.abort();
  await starting; // a broker on its way up has stopped, or is up and stopped below
  console.log(`\nstockpulse: ${signal}: stopping every service (Ctrl-C again to kill them at once)`);
  const exits = running.filter((r) => r.child).map((r) => new Promise((done) => r.child!.once('exit', done)));
  for (const r of running) r.child?.kill('SIGTERM');
  const timer = setTimeout(() => running.forEach((r) => r.child?.kill('SIGKILL')), 20_000);
  await Promise.all(exits);
  clearTimeout(timer);
  if (broker) console.log('stockpulse: stopping the local Pulsar broker');
  await broker?.stop();
  console.log('stockpulse: stopped');
  process.exit(0);
}

/**
 * BUS=pulsar: a local broker when PULSAR_URL is unset (its URLs then go to every service), else the one named;
 * the stockpulse set-up on it either way. Exits with one line when the broker cannot be had.
 */
async function pulsarFirst(): Promise<void> {
  const say = (line: string) => console.log(`${label('pulsar')}${line}`);
  try {
    if (!env.PULSAR_URL) {
      const { localPulsarUp } = await import('../pulsar/up.js');
      broker = await localPulsarUp(join(dataDir, 'pulsar'), say, brokerStart.signal);
      env.PULSAR_URL = broker.url;
      env.PULSAR_ADMIN_URL = broker.adminUrl;
      void broker.exited.then((code) => {
        if (stopping) return;
        console.error(`stockpulse: the local Pulsar broker exited (code ${code}); see ${broker!.logFile}`);
        void stop('SIGTERM');
      });
    } else {
      const { defaultAdminUrl, PulsarAdmin, setUpPulsar } = await import('@stockpulse/bus');
      const adminUrl = env.PULSAR_ADMIN_URL ?? defaultAdminUrl(env.PULSAR_URL);
      const made = await setUpPulsar(new PulsarAdmin(adminUrl), env.PULSAR_NAMESPACE, partitions);
      say(
        `set up ${made.namespace} on ${adminUrl}: ${made.topics.length} topics, ${made.deadLetterTopics.length} dead-letter topics`,
      );
    }
  } catch (err) {
    if (stopping) return; // the abort of a Ctrl-C: stop() finishes
    console.error(`stockpulse: BUS=pulsar: ${(err as Error).message}`);
    process.exit(1);
  }
}
