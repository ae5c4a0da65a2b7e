/**
 * A local Apache Pulsar standalone broker from this folder's files: our standalone.conf with the ports asked
 * for, data and log under `dataDir`, started from the cached jars (jars.ts), awaited until healthy (a message
 * round trip) with `public/default` in place, stopped with SIGTERM (the broker's own shutdown) and SIGKILL
 * only after 30 s.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { exited as exitOf, stopChild } from '../children.js';
import { awaitHealthy } from './health.js';
import { javaCommand, LocalPulsarError, PULSAR_DIR, pulsarClasspath } from './jars.js';

export interface LocalBrokerOptions {
  /** metadata/, bookkeeper/, standalone.conf and broker.log go here. */
  dataDir: string;
  host?: string;
  /** The binary protocol (default 6650). */
  brokerPort?: number;
  /** Admin REST API and WebSocket API (default 8081: 8080 is the dashboard's). */
  webPort?: number;
  progress?: (line: string) => void;
  startTimeoutMs?: number;
  /** Aborting it while the jars download or the broker starts stops that (Ctrl-C during a first start). */
  signal?: AbortSignal;
}

export interface LocalBroker {
  url: string;
  adminUrl: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code when the broker process ends (for whatever reason). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Heap and direct memory for two cores and 24 GB (a developer's broker, not a server's); PULSAR_MEM overrides. */
const MEMORY = '-Xms256m -Xmx1g -XX:MaxDirectMemorySize=1g';
/** What Pulsar's own launcher (bin/pulsar) opens for Netty, BookKeeper and its JVM metrics on Java 17. */
const JVM_FLAGS = [
  '-XX:+UseG1GC',
  '-XX:+ExitOnOutOfMemoryError',
  '-Dio.netty.tryReflectionSetAccessible=true',
  ...['java.base/java.io', 'java.base/java.lang', 'java.base/java.nio', 'java.base/java.util.zip']
    .concat(['java.base/jdk.internal.misc', 'java.base/jdk.internal.platform', 'java.base/sun.net'])
    .concat(['java.management/sun.management', 'jdk.management/com.sun.management.internal'])
    .flatMap((pkg) => ['--add-opens', `${pkg}=ALL-UNNAMED`]),
];

/** A port nothing listens on now, on the loopback. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * The broker a tool should use: PULSAR_URL and PULSAR_ADMIN_URL when both are set, else a local one on free
 * loopback ports with its data in `dataDir` (stopped by `stop`).
 */
export async function brokerForTool(
  dataDir: string,
  progress: (line: string) => void,
): Promise<{ url: string; adminUrl: string; pid?: number; stop: () => Promise<void> }> {
  const { PULSAR_URL: url, PULSAR_ADMIN_URL: adminUrl } = process.env;
  if (url && adminUrl) return { url, adminUrl, stop: async () => {} };
  const [brokerPort, webPort] = [await freePort(), await freePort()];
  return startLocalBroker({ dataDir, brokerPort, webPort, progress });
}

export const portInUse = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });

/** Our standalone.conf with the address and ports of this broker. */
function writeConfig(dir: string, host: string, brokerPort: number, webPort: number): string {
  const overrides: Record<string, string | number> = {
    bindAddress: host,
    advertisedAddress: host,
    brokerServicePort: brokerPort,
    webServicePort: webPort,
  };
  const lines = readFileSync(join(PULSAR_DIR, 'standalone.conf'), 'utf8')
    .split('\n')
    .map((line) => {
      const key = /^([A-Za-z_]\w*)=/.exec(line)?.[1];
      return key && key in overrides ? `${key}=${overrides[key]}` : line;
    });
  const file = join(dir, 'standalone.conf');
  writeFileSync(file, lines.join('\n'));
  return file;
}

export async function startLocalBroker(options: LocalBrokerOptions): Promise<LocalBroker> {
  const { dataDir, host = '127.0.0.1', brokerPort = 6650, webPort = 8081 } = options;
  const progress = options.progress ?? (() => {});
  const java = javaCommand();
  for (const port of [brokerPort, webPort])
    if (await portInUse(host, port))
      throw new LocalPulsarError(
        `port ${port} on ${host} is in use: another broker or program has it (ss -ltnp 'sport = :${port}')`,
      );
  const classpath = await pulsarClasspath(progress, options.signal);
  mkdirSync(dataDir, { recursive: true });
  const conf = writeConfig(dataDir, host, brokerPort, webPort);
  const logFile = join(dataDir, 'broker.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const args = [
    ...(process.env.PULSAR_MEM ?? MEMORY).split(/\s+/).filter(Boolean),
    ...JVM_FLAGS,
    `-Dlog4j.configurationFile=${join(PULSAR_DIR, 'log4j2.properties')}`,
    '-cp',
    classpath,
    'org.apache.pulsar.PulsarStandaloneStarter',
    ...['--config', conf, '--no-functions-worker', '--no-stream-storage'],
    ...['--metadata-dir', join(dataDir, 'metadata'), '--bookkeeper-dir', join(dataDir, 'bookkeeper')],
  ];
  // its own process group: a Ctrl-C reaches the launcher, which stops the broker after what runs on it
  const child = spawn(java, args, { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = exitOf(child).finally(() => log.end());
  const url = `pulsar://${host}:${brokerPort}`;
  const adminUrl = `http://${host}:${webPort}`;
  progress(`starting the broker (pid ${child.pid}); its log: ${logFile}`);
  const abort = () => child.kill('SIGTERM');
  options.signal?.addEventListener('abort', abort);
  try {
    await awaitHealthy(child, adminUrl, logFile, options.startTimeoutMs ?? 180_000, progress);
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  const stop = async () => void (await stopChild(child, 30_000));
  return { url, adminUrl, pid: child.pid!, logFile, exited, stop };
}
