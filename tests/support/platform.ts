import { EmbeddedBus } from '@stockpulse/bus';
import type { Envelope, TopicName } from '@stockpulse/contracts';
import { eventually } from '@stockpulse/service-kit/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface ServiceProcess {
  name: string;
  port: number;
  child?: ChildProcess;
  exited?: Promise<number | null>;
  output: string[];
}

/**
 * Some of the platform's services as real processes on one embedded bus in a temporary DATA_DIR, on free
 * loopback ports, each started with its real `main.ts`; killed and restarted at will.
 */
export class Platform {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'stockpulse-platform-'));
  private readonly services = new Map<string, ServiceProcess>();
  private bus: EmbeddedBus | undefined;

  private constructor(private readonly env: Record<string, string>) {}

  static async start(names: string[], env: Record<string, string> = {}): Promise<Platform> {
    const platform = new Platform(env);
    for (const name of names) platform.services.set(name, { name, port: await freePort(), output: [] });
    await Promise.all(names.map((name) => platform.startService(name)));
    return platform;
  }

  url(name: string): string {
    return `http://127.0.0.1:${this.services.get(name)!.port}`;
  }

  get gateway(): string {
    return this.url('gateway');
  }

  private environment(): Record<string, string> {
    const env: Record<string, string> = {
      DATA_DIR: this.dataDir,
      DEMO: 'off',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'off',
    };
    for (const s of this.services.values()) {
      env[`${s.name.toUpperCase()}_PORT`] = String(s.port);
      env[`${s.name.toUpperCase()}_URL`] = this.url(s.name);
    }
    return { ...env, ...this.env };
  }

  /** Starts (or restarts) a service and waits until it answers /ready. */
  async startService(name: string): Promise<void> {
    const s = this.services.get(name)!;
    const child = spawn(
      process.execPath,
      [
        // e.g. PLATFORM_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof' to profile every service of a benchmark
        ...(process.env.PLATFORM_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        '--conditions=@stockpulse/source',
        '--import',
        'tsx',
        join(ROOT, `services/${name}/src/main.ts`),
      ],
      {
        cwd: ROOT,
        env: { ...process.env, ...this.environment() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    s.child = child;
    s.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout.on('data', (c: Buffer) => s.output.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => s.output.push(c.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited at start:\n${s.output.join('')}`);
      try {
        if ((await fetch(`${this.url(name)}/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${name} not ready within 30 s:\n${s.output.join('')}`);
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

  output(name: string): string {
    return this.services.get(name)!.output.join('');
  }

  /**
   * Every message published on `topic` from now on (and before: the subscription starts at the earliest),
   * gathered by a consumer in this process on the platform's bus; the array fills as they arrive.
   */
  async collect<T extends TopicName>(topic: T): Promise<Envelope<T>[]> {
    const messages: Envelope<T>[] = [];
    await this.client().subscribe(
      topic,
      { subscription: `test-${topic}` },
      (d) => void messages.push(d.envelope),
    );
    return messages;
  }

  /** A client of the platform's bus in this process, as another producer or consumer would be. */
  client(): EmbeddedBus {
    this.bus ??= new EmbeddedBus({ path: join(this.dataDir, 'bus.db'), pollMs: 10 });
    return this.bus;
  }

  async stop(): Promise<void> {
    await this.bus?.close();
    await Promise.all([...this.services.keys()].map((name) => this.kill(name, 'SIGTERM')));
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Polls `probe` until `done` holds (the kit's `eventually`), here with a default of 20 s. */
export const until = <T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
) => eventually(probe, done, what, timeoutMs);

export async function getJson<T = { items: Record<string, unknown>[]; total: number }>(
  url: string,
): Promise<T> {
  const res = await fetch(url);
  return (await res.json()) as T;
}

export async function post(url: string, body: unknown, contentType = 'application/json') {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json as Record<string, unknown> };
}

/**
 * Σ event_count and Σ units_sold over every day window of a metrics API (the processor's or the gateway's,
 * `base` up to `/api`), page by page: what the platform has counted, to compare with what was sent.
 */
export async function dayTotals(base: string): Promise<{ events: number; units: number }> {
  const totals = { events: 0, units: 0 };
  for (let offset = 0; ; offset += 10_000) {
    const page = await getJson<{ items: { event_count: number; units_sold: number }[]; total: number }>(
      `${base}/api/metrics?window=day&limit=10000&offset=${offset}`,
    );
    for (const d of page.items) {
      totals.events += d.event_count;
      totals.units += d.units_sold;
    }
    if (offset + page.items.length >= page.total) return totals;
  }
}
