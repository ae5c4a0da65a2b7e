/**
 * The Pulsar half of `pnpm bench:bus`: our transport on a broker (the one PULSAR_URL/PULSAR_ADMIN_URL name, else
 * a local one started here), next to Pulsar's own pulsar-perf on the same broker, with messages of the same
 * size, in the same run: publish rate, and end to end (publish → handled → acknowledged by a consumer in
 * another process), against pulsar-perf's end to end with its producer batching (its default, the ceiling)
 * and without (each message an entry of its own, as our WebSocket client must send them: see ws-producer.ts).
 */
import type { OutgoingMessage } from '@stockpulse/contracts';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { brokerForTool } from '../../../infra/pulsar/broker.js';
import { perfEndToEnd } from '../../../infra/pulsar/perf.js';
import { report } from '../../../bench/support/report.js';
import { PulsarAdmin } from '../src/index.js';
import { PulsarBus } from '../src/pulsar/pulsar-bus.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rounds_ = (xs: number[]) =>
  `rounds: ${xs.map((x) => Math.round(x).toLocaleString('en-US')).join(', ')}`;

type Broker = { url: string; adminUrl: string };

const onTopic = (messages: OutgoingMessage[], topic: string) => messages.map((m) => ({ ...m, topic }));

async function publishRate(broker: Broker, namespace: string, messages: OutgoingMessage[]): Promise<number> {
  const bus = new PulsarBus({ ...broker, namespace, client: 'websocket' });
  const t0 = performance.now();
  for (let i = 0; i < messages.length; i += 500) await bus.publishMany(messages.slice(i, i + 500));
  const rate = messages.length / ((performance.now() - t0) / 1000);
  await bus.close();
  return rate;
}

async function endToEndRate(broker: Broker, namespace: string, messages: OutgoingMessage[]): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--conditions=@stockpulse/source', '--import', 'tsx', join(root, 'libs/bus/bench/consumer.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        BENCH_BUS: 'pulsar',
        PULSAR_URL: broker.url,
        PULSAR_ADMIN_URL: broker.adminUrl,
        PULSAR_NAMESPACE: namespace,
        BENCH_TOPIC: messages[0]!.topic,
        BENCH_EXPECT: String(messages.length),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  await next(); // ready
  const done = next();
  const bus = new PulsarBus({ ...broker, namespace, client: 'websocket' });
  const t0 = performance.now();
  for (let i = 0; i < messages.length; i += 500) await bus.publishMany(messages.slice(i, i + 500));
  await done;
  const rate = messages.length / ((performance.now() - t0) / 1000);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await bus.close();
  return rate;
}

export async function pulsarFigures(all: OutgoingMessage[], rounds: number): Promise<void> {
  const messages = all.slice(0, Number(process.env.BENCH_PULSAR_MESSAGES ?? 50_000));
  const size = Buffer.byteLength(JSON.stringify(messages[0]!.envelope));
  const dir = mkdtempSync(join(tmpdir(), 'stockpulse-bench-pulsar-'));
  const broker = await brokerForTool(dir, (line) => console.log(`pulsar: ${line}`));
  try {
    const namespace = `public/bench-bus-${process.pid}`;
    await new PulsarAdmin(broker.adminUrl).createNamespace(namespace);
    console.log(
      `bus on Pulsar (${broker.url}): ${messages.length.toLocaleString('en-US')} messages of ${size} bytes, ${rounds} interleaved rounds (medians)`,
    );
    const [publish, e2e, perf, perfUnbatched] = [[], [], [], []] as [number[], number[], number[], number[]];
    const topic = (what: string, round: number) => `bench.${what}.${process.pid}.${round}`;
    const perfRun = (what: string, round: number, batching: boolean) =>
      perfEndToEnd({
        broker,
        topic: `persistent://${namespace}/${topic(what, round)}`,
        size,
        count: messages.length,
        batching,
      });
    await endToEndRate(broker, namespace, onTopic(messages.slice(0, 5000), topic('warmup', 0))); // JIT, JVM
    for (let round = 0; round < rounds; round++) {
      publish.push(await publishRate(broker, namespace, onTopic(messages, topic('publish', round))));
      e2e.push(await endToEndRate(broker, namespace, onTopic(messages, topic('e2e', round))));
      perf.push(await perfRun('perf', round, true));
      perfUnbatched.push(await perfRun('perf-unbatched', round, false));
    }
    const ratio = (xs: number[], to: number[]) => median(xs.map((x, i) => x / to[i]!));
    const figure = (name: string, xs: number[]) =>
      report({ bench: 'bus', name, value: median(xs), unit: 'msg/s', detail: rounds_(xs) });
    figure('pulsar-perf end-to-end, producer batching on (the ceiling)', perf);
    figure('pulsar-perf end-to-end, batching off', perfUnbatched);
    figure('Pulsar publish (our WebSocket client, 500 per publishMany)', publish);
    figure('Pulsar end-to-end publish→handled→acked (our WebSocket client, 1 consumer process)', e2e);
    report({
      bench: 'bus',
      name: "Pulsar end-to-end / pulsar-perf's (median of the rounds' ratios)",
      value: ratio(e2e, perf),
      unit: '',
      target: { op: '>=', value: 0.5 },
    });
    report({
      bench: 'bus',
      name: "Pulsar end-to-end / pulsar-perf's unbatched",
      value: ratio(e2e, perfUnbatched),
      unit: '',
    });
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
