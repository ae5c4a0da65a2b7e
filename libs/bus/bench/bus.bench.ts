/**
 * `pnpm bench:bus`: 1 KB messages through the embedded bus, against the ceiling of any durable SQLite log on
 * this machine measured in the same run: raw better-sqlite3 batched inserts of rows of the same size; then the
 * same messages through Apache Pulsar against pulsar-perf (pulsar-rates.ts; BENCH_PULSAR=off skips it).
 * Prints one figure per line. A benchmark, never a test: it fails on no threshold.
 */
import { EmbeddedBus } from '@stockpulse/bus';
import type { OutgoingMessage } from '@stockpulse/contracts';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { report } from '../../../bench/support/report.js';
import { pulsarFigures } from './pulsar-rates.js';

const N = Number(process.env.BENCH_MESSAGES ?? 100_000);
const BATCH = 500;
const TOPIC = 'bench.orders';
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(join(tmpdir(), 'stockpulse-bench-'));
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
/** Deleting a store right after its measurement drops its dirty pages before the kernel writes them back,
 * so later rounds do not run against the write-back of earlier ones. */
const drop = (file: string) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
};
const now = () => performance.now();

/** An envelope of about 1 KB once serialised. */
function makeMessage(i: number): OutgoingMessage {
  const id = randomUUID();
  return {
    topic: TOPIC,
    key: `store-${i % 5}/P${i % 200}`,
    envelope: {
      id,
      type: 'bench',
      version: 1,
      occurred_at: new Date().toISOString(),
      correlation_id: id,
      causation_id: null,
      producer: 'bench',
      payload: { i, note: 'x'.repeat(730) },
    },
  };
}

function rawInsertRate(messages: OutgoingMessage[], round: number): number {
  const db = new Database(join(dir, `raw-${round}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, key TEXT NOT NULL,
           published_at INTEGER NOT NULL, properties TEXT, body TEXT NOT NULL);
           CREATE INDEX messages_by_topic ON messages (topic, seq);`);
  const insert = db.prepare(
    'INSERT INTO messages (topic, key, published_at, properties, body) VALUES (?, ?, ?, NULL, ?)',
  );
  const rows = messages.map((m) => [m.topic, m.key, Date.now(), JSON.stringify(m.envelope)] as const);
  const write = db.transaction((chunk: (typeof rows)[number][]) => {
    for (const r of chunk) insert.run(...r);
  });
  const t0 = now();
  for (let i = 0; i < rows.length; i += BATCH) write(rows.slice(i, i + BATCH));
  const rate = rows.length / ((now() - t0) / 1000);
  db.close();
  drop(join(dir, `raw-${round}.db`));
  return rate;
}

/**
 * The same rows with the two techniques the bus itself uses: 16-row INSERT statements, and WAL checkpoints
 * in another thread instead of inside the inserting commits. Printed so the ratio to the specified ceiling
 * above can be read honestly: the bus beats a naive log partly by doing what this one does.
 */
async function tunedRawInsertRate(messages: OutgoingMessage[], round: number): Promise<number> {
  const path = join(dir, `tuned-${round}.db`);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec(`CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, key TEXT NOT NULL,
           published_at INTEGER NOT NULL, properties TEXT, body TEXT NOT NULL);
           CREATE INDEX messages_by_topic ON messages (topic, seq);`);
  const checkpointer = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const db = new (require(workerData.driver))(workerData.path);
     const t = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), 200);
     parentPort.on('message', () => { clearInterval(t); db.close(); parentPort.close(); });`,
    { eval: true, workerData: { path, driver: createRequire(import.meta.url).resolve('better-sqlite3') } },
  );
  const insert = db.prepare(
    `INSERT INTO messages (topic, key, published_at, properties, body) VALUES ${Array(16).fill('(?, ?, ?, NULL, ?)').join(', ')}`,
  );
  const rows = messages.map((m) => [m.topic, m.key, Date.now(), JSON.stringify(m.envelope)] as const);
  const write = db.transaction((chunk: (typeof rows)[number][]) => {
    for (let i = 0; i + 16 <= chunk.length; i += 16) insert.run(chunk.slice(i, i + 16).flat());
  });
  const t0 = now();
  for (let i = 0; i < rows.length; i += 512) write(rows.slice(i, i + 512));
  const rate = (rows.length - (rows.length % 16)) / ((now() - t0) / 1000);
  checkpointer.postMessage('stop');
  await new Promise((resolve) => checkpointer.once('exit', resolve));
  db.close();
  drop(path);
  return rate;
}

async function publishRate(messages: OutgoingMessage[], round: number): Promise<number> {
  const bus = new EmbeddedBus({ path: join(dir, `publish-${round}.db`) });
  const t0 = now();
  for (let i = 0; i < messages.length; i += BATCH) await bus.publishMany(messages.slice(i, i + BATCH));
  const rate = messages.length / ((now() - t0) / 1000);
  await bus.close();
  drop(join(dir, `publish-${round}.db`));
  return rate;
}

function startConsumer(path: string, report: 'count' | 'each') {
  const child = spawn(
    process.execPath,
    ['--conditions=@stockpulse/source', '--import', 'tsx', join(root, 'libs/bus/bench/consumer.ts')],
    {
      cwd: root,
      env: { ...process.env, BENCH_BUS_PATH: path, BENCH_TOPIC: TOPIC, BENCH_REPORT: report },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve) => lines.once('line', () => resolve()));
  return { child, lines, ready };
}

/** Publisher here, consumer in another process; done when the subscription's cursor passes the last message. */
async function endToEndRate(messages: OutgoingMessage[], round: number): Promise<number> {
  const path = join(dir, `e2e-${round}.db`);
  const bus = new EmbeddedBus({ path });
  const consumer = startConsumer(path, 'count');
  await consumer.ready;
  const probe = new Database(path, { readonly: true });
  const cursor = probe.prepare<[], { c: number }>(
    "SELECT MIN(cursor) AS c FROM lanes WHERE subscription = 'bench'",
  );
  const t0 = now();
  for (let i = 0; i < messages.length; i += BATCH) await bus.publishMany(messages.slice(i, i + BATCH));
  const published = now();
  const last = probe.prepare<[], { s: number }>('SELECT MAX(seq) AS s FROM messages').get()!.s;
  const deadline = Date.now() + 300_000;
  while ((cursor.get()?.c ?? 0) < last && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  const rate = messages.length / ((now() - t0) / 1000);
  if (process.env.BENCH_DEBUG)
    console.log(
      `  e2e: published after ${(published - t0).toFixed(0)} ms, acked after ${(now() - t0).toFixed(0)} ms`,
    );
  probe.close();
  consumer.child.kill('SIGTERM');
  await new Promise((resolve) => consumer.child.once('exit', resolve));
  await bus.close();
  drop(path);
  return rate;
}

/** One message at a time, 50 ms apart, to a consumer process that waits idle in between. */
async function idleLatency(samples: number): Promise<{ p50: number; p99: number; max: number }> {
  const path = join(dir, 'latency.db');
  const bus = new EmbeddedBus({ path });
  const consumer = startConsumer(path, 'each');
  await consumer.ready;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  consumer.lines.on('line', (line) => {
    const { id, at } = JSON.parse(line) as { id: string; at: number };
    latencies.push(at - sentAt.get(id)!);
  });
  for (let i = 0; i < samples; i++) {
    const m = makeMessage(i);
    sentAt.set(m.envelope.id, performance.timeOrigin + now());
    await bus.publishMany([m]);
    await new Promise((r) => setTimeout(r, 50));
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < samples && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  consumer.child.kill('SIGTERM');
  await bus.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const messages = Array.from({ length: N }, (_, i) => makeMessage(i));
  const size = Buffer.byteLength(JSON.stringify(messages[0]!.envelope));
  console.log(
    `bus messages: ${fmt(N)} of ${size} bytes, ${BATCH} per publish/transaction, ${rounds} interleaved rounds (medians)`,
  );
  // one unmeasured round on a tenth of the messages: JIT, page cache and the first child process warm up
  const warmup = messages.slice(0, Math.ceil(N / 10));
  rawInsertRate(warmup, -1);
  await publishRate(warmup, -1);
  await endToEndRate(warmup, -1);
  const raw: number[] = [];
  const tuned: number[] = [];
  const publish: number[] = [];
  const e2e: number[] = [];
  for (let round = 0; round < rounds; round++) {
    raw.push(rawInsertRate(messages, round));
    tuned.push(await tunedRawInsertRate(messages, round));
    publish.push(await publishRate(messages, round));
    e2e.push(await endToEndRate(messages, round));
  }
  const ratio = (xs: number[], to = raw) => median(xs.map((x, i) => x / to[i]!));
  const rounds_ = (xs: number[]) => `rounds: ${xs.map((x) => fmt(x)).join(', ')}`;
  report({
    bench: 'bus',
    name: 'raw better-sqlite3 batched insert (the ceiling)',
    value: median(raw),
    unit: 'rows/s',
    detail: rounds_(raw),
  });
  report({
    bench: 'bus',
    name: 'raw tuned (16-row inserts, checkpoints off-thread)',
    value: median(tuned),
    unit: 'rows/s',
    detail: rounds_(tuned),
  });
  report({
    bench: 'bus',
    name: 'embedded publish',
    value: median(publish),
    unit: 'msg/s',
    detail: rounds_(publish),
  });
  report({
    bench: 'bus',
    name: 'embedded end-to-end publish→handled→acked (1 consumer process)',
    value: median(e2e),
    unit: 'msg/s',
    detail: rounds_(e2e),
  });
  report({
    bench: 'bus',
    name: "publish / raw (median of the rounds' ratios)",
    value: ratio(publish),
    unit: '',
  });
  report({
    bench: 'bus',
    name: "end-to-end / raw (median of the rounds' ratios)",
    value: ratio(e2e),
    unit: '',
    target: { op: '>=', value: 0.7 },
  });
  report({ bench: 'bus', name: 'end-to-end / tuned raw', value: ratio(e2e, tuned), unit: '' });
  const latency = await idleLatency(100);
  report({
    bench: 'bus',
    name: 'idle delivery latency between processes, p50',
    value: latency.p50,
    unit: 'ms',
  });
  report({
    bench: 'bus',
    name: 'idle delivery latency between processes, p99',
    value: latency.p99,
    unit: 'ms',
    detail: `max ${latency.max.toFixed(1)} ms`,
  });
  if (process.env.BENCH_PULSAR !== 'off') await pulsarFigures(messages, rounds);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
