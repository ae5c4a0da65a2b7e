import { openBus, PulsarAdmin, setUpPulsar, type MessageBus } from '@stockpulse/bus';
import type { Envelope, TopicName } from '@stockpulse/contracts';
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pulsarBroker } from '../../libs/bus/test/pulsar-broker.js';
import { LIVE } from './live.js';
import { servicePort } from './ports.js';

export { dayTotals, getJson, post, until } from './http.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

export type BusKind = 'embedded' | 'pulsar';

let toldSkip = false;
/**
 * The buses a platform test runs on: the embedded one always, Apache Pulsar too when a broker is there
 * (libs/bus/test/pulsar-broker.ts: `.ci/run` and jest's global set-up provide one; without it this says why).
 */
export function busesUnderTest(): BusKind[] {
  const broker = pulsarBroker();
  if (!('skip' in broker)) return ['embedded', 'pulsar'];
  if (!toldSkip) process.stderr.write(`\nplatform tests on Pulsar skipped: ${broker.skip}\n\n`);
  toldSkip = true;
  return ['embedded'];
}

interface ServiceProcess {
  name: string;
  /** The service it runs (`processor` for `processor@1`) and which replica (`REPLICA`, 0 by default). */
  service: string;
  replica: number;
  port: number;
  child?: ChildProcess;
  exited?: Promise<number | null>;
  output: string[];
}

/**
 * Some of the platform's services as real processes in a temporary DATA_DIR, on loopback ports of this jest
 * worker's own (tests/support/ports.ts), each started with its real `main.ts`; killed and restarted at will.
 * On the embedded bus (its file in DATA_DIR), or on Apache Pulsar in a namespace of its own, set up by the
 * same code as everywhere (setUpPulsar).
 */
export class Platform {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'stockpulse-platform-'));
  private readonly services = new Map<string, ServiceProcess>();
  private bus: Promise<MessageBus> | undefined;
  private readonly busEnv: Record<string, string>;
  private stopped = false;

  private constructor(
    private env: Record<string, string>,
    readonly busKind: BusKind,
  ) {
    const broker = pulsarBroker();
    if (busKind === 'embedded') this.busEnv = { BUS: 'embedded' };
    else if ('skip' in broker) throw new Error(`no Pulsar broker for this test: ${broker.skip}`);
    else
      this.busEnv = {
        BUS: 'pulsar',
        PULSAR_URL: broker.url,
        PULSAR_ADMIN_URL: broker.adminUrl,
        PULSAR_NAMESPACE: `public/platform-${randomUUID().slice(0, 8)}`,
      };
  }

  static async start(
    names: string[],
    env: Record<string, string> = {},
    bus: BusKind = 'embedded',
  ): Promise<Platform> {
    const platform = new Platform(env, bus);
    LIVE.add(platform);
    try {
      const { PULSAR_ADMIN_URL, PULSAR_NAMESPACE } = platform.busEnv;
      if (PULSAR_ADMIN_URL)
        await setUpPulsar(new PulsarAdmin(PULSAR_ADMIN_URL), PULSAR_NAMESPACE, Number(env.PARTITIONS ?? 1));
      // `processor@1` is replica 1 of the processor (with PARTITIONS in env): it listens on replica 0's port + 10
      await platform.place(names);
      return platform;
    } catch (err) {
      await platform.stop();
      throw err;
    }
  }

  /** Ports for `names` (a replica on its replica 0's + 10 × its index), then each started. */
  private async place(names: string[]): Promise<void> {
    for (const name of names) {
      const [service = name, replica = '0'] = name.split('@');
      const base = this.services.get(`${service}@0`)?.port ?? this.services.get(service)?.port;
      const port = Number(replica)
        ? (base ?? (await servicePort())) + 10 * Number(replica)
        : await servicePort();
      if (!this.services.has(name))
        this.services.set(name, { name, service, replica: Number(replica), port, output: [] });
    }
    await Promise.all(names.map((name) => this.startService(name)));
  }

  /**
   * Stops every service (SIGTERM), keeping the data; runs `command` (a script under infra/ with `args`) in
   * the platform's environment with `env` over it, if given; then starts `names` with `env` over the
   * environment (the services of before keep their ports). Resolves with the command's exit code and output.
   */
  async restartAs(
    names: string[],
    env: Record<string, string>,
    command?: { script: string; args: string[] },
  ) {
    await Promise.all([...this.services.keys()].map((name) => this.kill(name, 'SIGTERM')));
    for (const name of [...this.services.keys()]) if (!names.includes(name)) this.services.delete(name);
    this.env = { ...this.env, ...env };
    let ran = { code: 0 as number | null, output: '' };
    if (command) {
      const args = [
        '--conditions=@stockpulse/source',
        '--import',
        'tsx',
        join(ROOT, command.script),
        ...command.args,
      ];
      const child = spawn(process.execPath, args, {
        cwd: ROOT,
        env: { ...process.env, ...this.environment() },
      });
      const output: string[] = [];
      child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
      child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      ran = { code, output: output.join('') };
      if (code !== 0) return ran;
    }
    await this.place(names);
    return ran;
  }

  url(name: string): string {
    return `http://127.0.0.1:${this.services.get(name)!.port}`;
  }

  get gateway(): string {
    return this.url('gateway');
  }

  private environment(): Record<string, string> {
    const env: Record<string, string> = {
      ...this.busEnv,
      DATA_DIR: this.dataDir,
      DEMO: 'off',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'off',
    };
    for (const s of this.services.values()) {
      if (s.replica) continue; // replicas listen on their own offset of replica 0's port
      env[`${s.service.toUpperCase()}_PORT`] = String(s.port);
      env[`${s.service.toUpperCase()}_URL`] = this.url(s.name);
    }
    return { ...env, ...this.env };
  }

  /** A process of `service` with this platform's environment, `env` over it. */
  private spawnService(
    service: string,
    env: Record<string, string>,
  ): ChildProcessByStdio<null, Readable, Readable> {
    return spawn(
      process.execPath,
      [
        // e.g. PLATFORM_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof' to profile every service of a benchmark
        ...(process.env.PLATFORM_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        '--conditions=@stockpulse/source',
        '--import',
        'tsx',
        join(ROOT, `services/${service}/src/main.ts`),
      ],
      {
        cwd: ROOT,
        env: { ...process.env, ...this.environment(), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  }

  /** Starts (or restarts) a service and waits until it answers /ready. */
  async startService(name: string): Promise<void> {
    if (this.stopped) throw new Error(`the platform was stopped: ${name} is not started`);
    const s = this.services.get(name)!;
    const child = this.spawnService(s.service, { REPLICA: String(s.replica) });
    s.child = child;
    s.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout.on('data', (c: Buffer) => s.output.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => s.output.push(c.toString()));
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited at start:\n${s.output.join('')}`);
      if (this.stopped) throw new Error(`the platform was stopped while ${name} started`);
      try {
        if ((await fetch(`${this.url(name)}/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${name} not ready within 120 s:\n${s.output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const s = this.services.get(name)!;
    if (!s.child || s.child.exitCode !== null) return s.child?.exitCode ?? null;
    s.child.kill(signal);
    return s.exited!;
  }

  /** The process id of a running service. */
  pid(name: string): number {
    const pid = this.services.get(name)?.child?.pid;
    if (pid === undefined) throw new Error(`${name} is not running`);
    return pid;
  }

  get names(): string[] {
    return [...this.services.keys()];
  }

  /**
   * Starts one more process of `service` with this platform's environment and `env` over it, expecting it to
   * refuse to start: resolves with its exit code and output; fails if it is still running after `timeoutMs`.
   */
  async refusal(service: string, env: Record<string, string>, timeoutMs = 60_000) {
    const child = this.spawnService(service, env);
    const output: string[] = [];
    child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    if (code === null)
      throw new Error(`${service} did not refuse within ${timeoutMs} ms:\n${output.join('')}`);
    return { code, output: output.join('') };
  }

  output(name: string): string {
    return this.services.get(name)!.output.join('');
  }

  /**
   * Every message published on `topic` from now on (and before: the subscription starts at the earliest),
   * gathered by a consumer in this process on the platform's bus; the array fills as they arrive.
   */
  async collect<T extends TopicName>(topic: T): Promise<Envelope<T>[]> {
    const messages: Envelope<T>[] = [];
    await (
      await this.client()
    ).subscribe(topic, { subscription: `test-${topic}` }, (d) => void messages.push(d.envelope));
    return messages;
  }

  /** The environment that reaches the platform's bus (for a tool such as `pnpm tail`). */
  get busEnvironment(): Record<string, string> {
    return { ...this.busEnv, DATA_DIR: this.dataDir };
  }

  /** A client of the platform's bus in this process, as another producer or consumer would be. */
  client(): Promise<MessageBus> {
    const { PULSAR_URL, PULSAR_ADMIN_URL, PULSAR_NAMESPACE } = this.busEnv;
    this.bus ??= PULSAR_URL
      ? openBus({
          kind: 'pulsar',
          url: PULSAR_URL,
          adminUrl: PULSAR_ADMIN_URL!,
          namespace: PULSAR_NAMESPACE!,
          stateDir: join(this.dataDir, 'test-client'),
        })
      : openBus({ kind: 'embedded', path: join(this.dataDir, 'bus.db'), pollMs: 10 });
    return this.bus;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    LIVE.delete(this);
    await (await this.bus)?.close();
    await Promise.all([...this.services.keys()].map((name) => this.kill(name, 'SIGTERM')));
    rmSync(this.dataDir, { recursive: true, force: true });
    const { PULSAR_ADMIN_URL, PULSAR_NAMESPACE } = this.busEnv;
    // its namespace goes too (a long-lived broker, `pnpm pulsar`, does not fill up with tests' topics)
    if (PULSAR_ADMIN_URL)
      await new PulsarAdmin(PULSAR_ADMIN_URL).deleteNamespace(PULSAR_NAMESPACE!).catch(() => {});
  }
}

export { tail } from './tail.js';
