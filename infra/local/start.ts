/**
 * `pnpm start`: every service in services/ as its own process on the embedded bus, their log records made
 * readable on a terminal (LOG_FORMAT: log-lines.ts) and one line once all are ready (ready.ts); a service
 * that crashes is started again (with backoff); Ctrl-C stops them all cleanly (SIGTERM, then SIGKILL after
 * 20 s; a second Ctrl-C kills them, and a local broker, at once). On an empty DATA_DIR the ingest service
 * seeds the demo history, its progress about once a second, and a slow live stream (DEMO, on by default here).
 *
 * `PARTITIONS=3 pnpm start` runs three replicas of each stateful service (contracts' PARTITIONED_SERVICES),
 * replica i as `<service>#i` on the service's port + 10 × i, each owning the stores of its partition; the
 * gateway answers for all of them.
 *
 * `BUS=pulsar pnpm start` runs them on Apache Pulsar: on the broker PULSAR_URL names, or, with PULSAR_URL
 * unset, on a local one started first (infra/pulsar: `pnpm pulsar`) and stopped last. Either way the topics,
 * subscriptions and dead-letter topics are set up before any service starts.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { styleText } from 'node:util';
import type { LocalBroker } from '../pulsar/broker.js';
import { createLineFormatter, logFormat, type LogFormat } from './log-lines.js';
import { processesOf, servicesIn, urlOf, type Running } from './processes.js';
import { pulsarFirst } from './pulsar-first.js';
import { readiness } from './ready.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const services = servicesIn(root);
const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATA_DIR: dataDir,
  DEMO: process.env.DEMO ?? 'on',
  TEST_MODE: process.env.TEST_MODE ?? 'on',
  // JSON lines from every service: this launcher makes them readable (LOG_FORMAT)
  LOG_PRETTY: 'off',
  // each service stops by itself if this launcher dies without stopping it
  PARENT_PID: String(process.pid),
};
const onPulsar = env.BUS === 'pulsar';
let broker: LocalBroker | undefined;
const partitions = Number(env.PARTITIONS ?? 1);
let format: LogFormat = 'json';
try {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 64)
    throw new Error(`PARTITIONS must be a whole number from 1 to 64 (got ${env.PARTITIONS})`);
  format = logFormat(env.LOG_FORMAT, Boolean(process.stdout.isTTY));
} catch (err) {
  console.error(`stockpulse: ${(err as Error).message}`);
  process.exit(1);
}
const url = urlOf(env);
const running: Running[] = processesOf(services, partitions);
/** How long every process has to answer /ready before the launcher names those that did not. */
const READY_TIMEOUT_MS = 120_000;

const width = Math.max(...running.map((r) => r.name.length));
const formatter = (stream: NodeJS.WriteStream) =>
  createLineFormatter({ format, colour: stream.isTTY && stream.hasColors(), services, width });
const out = { stdout: formatter(process.stdout), stderr: formatter(process.stderr) };
const colour = process.stdout.isTTY && process.stdout.hasColors();
const ready = new AbortController();
let stopping = false;

/** Each line the child writes, formatted (log-lines.ts) onto the launcher's stream of the same name. */
function pipe(name: string, from: NodeJS.ReadableStream, stream: 'stdout' | 'stderr') {
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) =>
    process[stream].write(out[stream](name, line)),
  );
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
  pipe(r.name, child.stdout, 'stdout');
  pipe(r.name, child.stderr, 'stderr');
  child.on('exit', (code, signal) => {
    r.child = undefined;
    if (stopping) return;
    if (Date.now() - r.startedAt > 60_000) r.restarts = 0;
    const delay = Math.min(30_000, 1000 * 2 ** r.restarts++);
    process.stderr.write(
      out.stderr(r.name, `exited (${signal ?? `code ${code}`}); starting it again in ${delay / 1000} s`),
    );
    setTimeout(() => !stopping && start(r), delay);
  });
}

/** One line once every process answers /ready (or, after READY_TIMEOUT_MS, which do not). */
async function announceReady(): Promise<void> {
  const targets = running.map((r) => ({ name: r.name, url: url(r.service, r.replica) }));
  const { ok, line } = await readiness(
    targets,
    {
      dashboard: url('dashboard'),
      api: url('gateway'),
      bus: onPulsar ? `pulsar ${env.PULSAR_URL}` : 'embedded',
      services: services.length,
      partitions,
    },
    { timeoutMs: READY_TIMEOUT_MS, signal: ready.signal },
  );
  if (!stopping)
    console.log(
      colour ? styleText(ok ? ['bold', 'green'] : 'yellow', line, { validateStream: false }) : line,
    );
}

// a Ctrl-C while the broker starts stops that start (the broker runs in its own process group)
const brokerStart = new AbortController();
const starting = onPulsar ? brokerFirst() : Promise.resolve();
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
  void announceReady();
}

/** pulsar-first.ts, then a watch on the local broker (if any); one line and exit 1 when it cannot be had. */
async function brokerFirst(): Promise<void> {
  const say = (line: string) => process.stdout.write(out.stdout('pulsar', line));
  try {
    broker = await pulsarFirst(env, { dataDir, partitions, say, signal: brokerStart.signal });
  } catch (err) {
    if (stopping) return; // the abort of a Ctrl-C: stop() finishes
    console.error(`stockpulse: BUS=pulsar: ${(err as Error).message}`);
    process.exit(1);
  }
  void broker?.exited.then((code) => {
    if (stopping) return;
    console.error(`stockpulse: the local Pulsar broker exited (code ${code}); see ${broker!.logFile}`);
    void stop('SIGTERM');
  });
}

async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    for (const r of running) r.child?.kill('SIGKILL');
    if (broker) process.kill(broker.pid, 'SIGKILL');
    process.exit(1);
  }
  stopping = true;
  brokerStart.abort();
  ready.abort();
  await starting; // a broker on its way up has stopped, or is up and stopped below
  console.log(`\nstockpulse: ${signal}: stopping every service (Ctrl-C again to kill them at once)`);
  // its exit, then its last lines (a bounded wait: a process it left behind may hold its pipes open)
  const exits = running
    .filter((r) => r.child)
    .map((r) => r.child!)
    .map(async (child) => {
      const closed = new Promise((done) => child.once('close', done));
      await new Promise((done) => child.once('exit', done));
      await Promise.race([closed, new Promise((done) => setTimeout(done, 1000))]);
    });
  for (const r of running) r.child?.kill('SIGTERM');
  const timer = setTimeout(() => running.forEach((r) => r.child?.kill('SIGKILL')), 20_000);
  await Promise.all(exits);
  clearTimeout(timer);
  if (broker) console.log('stockpulse: stopping the local Pulsar broker');
  await broker?.stop();
  console.log('stockpulse: stopped');
  process.exit(0);
}
