/**
 * Pulsar's own `pulsar-perf` (org.apache.pulsar.testclient, from the jars of pom.xml) against a broker: the
 * broker's throughput with its own Java client on this machine, the ceiling `pnpm bench:bus` compares ours with.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { javaCommand, PULSAR_DIR, pulsarClasspath } from './jars.js';

export interface PerfRun {
  broker: { url: string; adminUrl: string };
  topic: string;
  /** Bytes per message. */
  size: number;
  count: number;
  /** The Java producer's batching (its default); off sends each message as an entry of its own. */
  batching: boolean;
}

/** Runs one pulsar-perf command to its end; resolves with the ISO timestamp of each line that matched. */
function perf(broker: PerfRun['broker'], args: string[], marks: Record<string, RegExp>) {
  const dir = mkdtempSync(join(tmpdir(), 'stockpulse-perf-'));
  const conf = join(dir, 'client.conf');
  writeFileSync(conf, `brokerServiceUrl=${broker.url}\nwebServiceUrl=${broker.adminUrl}\n`);
  const seen: Record<string, number> = {};
  const ready = (async () => {
    const classpath = await pulsarClasspath();
    const child = spawn(
      javaCommand(),
      [
        '-Xmx1g',
        `-Dlog4j.configurationFile=${join(PULSAR_DIR, 'log4j2.properties')}`,
        '-cp',
        classpath,
        'org.apache.pulsar.testclient.PulsarPerfTestTool',
        conf,
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      for (const [name, pattern] of Object.entries(marks))
        if (seen[name] === undefined && pattern.test(line))
          seen[name] = Date.parse(line.slice(0, 23).replace(',', '.'));
    });
    child.stderr.resume();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
    if (code !== 0) throw new Error(`pulsar-perf ${args[0]} exited with ${code}`);
    return seen;
  })();
  return { seen, done: ready };
}

/**
 * End to end with pulsar-perf alone: its consumer subscribed first (exclusive, from the earliest message),
 * then its producer sending `count` messages as fast as it can; the rate is `count` over the time from the
 * producer being ready to the consumer having received the last one (both from their own log timestamps).
 */
export async function perfEndToEnd(run: PerfRun): Promise<number> {
  const consumer = perf(
    run.broker,
    ['consume', '-m', String(run.count), '-st', 'Exclusive', '-ss', 'perf', '-sp', 'Earliest', run.topic],
    { subscribed: /Start receiving from/, finished: /Aggregated throughput stats/ },
  );
  const deadline = Date.now() + 60_000;
  while (consumer.seen.subscribed === undefined && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const producer = perf(
    run.broker,
    [
      'produce',
      ...['-r', '10000000', '-s', String(run.size), '-m', String(run.count)],
      ...(run.batching ? [] : ['--disable-batching']),
      run.topic,
    ],
    { created: /Created \d+ producers/ },
  );
  const [sent, received] = await Promise.all([producer.done, consumer.done]);
  return run.count / ((received.finished! - sent.created!) / 1000);
}
