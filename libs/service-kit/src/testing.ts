/**
 * Test support for services (`@stockpulse/service-kit/testing`): the real app factory on real components,
 * an EmbeddedBus on a temporary file with short timings, the service's store in memory with its real
 * migrations, a silent logger. Never imported by production code.
 */
import { EmbeddedBus } from '@stockpulse/bus';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openDatabase, type Migration, type SqliteDatabase } from './database.js';
import type { AccessKeys } from './http/access.js';
import type { ServiceApp, ServiceDeps } from './http/create-app.js';
import { createMetrics } from './metrics.js';

export interface TestApp {
  app: ServiceApp;
  bus: EmbeddedBus;
  db: SqliteDatabase | undefined;
  dir: string;
  /** Closes the app (consumers, relay), the bus and the store, and deletes the temporary files. */
  close(): Promise<void>;
}

export interface TestAppOptions {
  name: string;
  migrations?: readonly Migration[];
  /** Use a store file instead of `:memory:` (e.g. to reopen it after a simulated crash). */
  storeFile?: string;
  /** A bus directory shared with other apps of the same test; a new one otherwise. */
  busDir?: string;
  /** API keys the app checks (as API_KEY and READ_API_KEY would set them). */
  keys?: AccessKeys;
}

export async function buildTestApp(
  build: (deps: ServiceDeps) => Promise<ServiceApp>,
  options: TestAppOptions,
): Promise<TestApp> {
  const dir = options.busDir ?? mkdtempSync(join(tmpdir(), `stockpulse-${options.name}-`));
  const metrics = createMetrics(options.name);
  const bus = new EmbeddedBus({
    path: join(dir, 'bus.db'),
    pollMs: 5,
    leaseMs: 5000,
    rebalanceMs: 100,
    observer: metrics.bus,
  });
  const db = options.migrations
    ? openDatabase(options.storeFile ?? ':memory:', options.migrations)
    : undefined;
  const app = await build({
    bus,
    log: pino({ level: 'silent' }),
    metrics,
    ...(db ? { db } : {}),
    ...(options.keys ? { keys: options.keys } : {}),
  });
  await app.ready();
  return {
    app,
    bus,
    db,
    dir,
    async close() {
      await app.close();
      await bus.close();
      db?.close();
      if (!options.busDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `predicate` holds, every 10 ms; fails after `timeoutMs` naming what it waited for. */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  predicate: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (predicate(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)?.slice(0, 500)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The value of one Prometheus sample whose labels include `labels` (in any order); undefined if absent. */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = new Map(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) return Number(match[3]);
  }
  return undefined;
}

/** A loopback URL where nothing listens (a port just freed): a service that is down. */
export async function closedUrl(path = ''): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}
