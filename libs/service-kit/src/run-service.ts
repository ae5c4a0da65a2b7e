import { openBus, type BusConfig } from '@stockpulse/bus';
import { PARTITIONED_SERVICES } from '@stockpulse/contracts';
import closeWithGrace from 'close-with-grace';
import { join, resolve } from 'node:path';
import type { Static, TObject } from 'typebox';
import { checkReplica, ConfigError, isOn, loadConfig, type CommonConfig } from './config.js';
import { checkpointInBackground, openDatabase, type Migration } from './database.js';
import type { ServiceApp, ServiceDeps } from './http/create-app.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';

export interface ServiceSpec<S extends TObject> {
  name: string;
  config: S;
  /** The port this service listens on, from its config (`<SERVICE>_PORT`). */
  port: (config: Static<S>) => number;
  /** The service's own store under DATA_DIR, if it has one. */
  store?: { file: string; migrations: readonly Migration[] };
  build: (deps: ServiceDeps, config: Static<S>) => Promise<ServiceApp>;
}

/** Where the bus lives, from the common configuration. */
export function busConfig(config: CommonConfig): BusConfig {
  const retry = {
    maxAttempts: config.BUS_MAX_ATTEMPTS,
    backoffBaseMs: config.BUS_RETRY_BASE_MS,
    backoffMaxMs: config.BUS_RETRY_MAX_MS,
  };
  return config.BUS === 'pulsar'
    ? {
        kind: 'pulsar',
        url: config.PULSAR_URL,
        ...(config.PULSAR_ADMIN_URL ? { adminUrl: config.PULSAR_ADMIN_URL } : {}),
        ...(config.PULSAR_LISTENER_NAME ? { listenerName: config.PULSAR_LISTENER_NAME } : {}),
        client: config.PULSAR_CLIENT,
        namespace: config.PULSAR_NAMESPACE,
        stateDir: resolve(config.DATA_DIR),
        partitions: config.PARTITIONS,
        retry,
      }
    : {
        kind: 'embedded',
        path: join(resolve(config.DATA_DIR), 'bus.db'),
        retentionMs: config.BUS_RETENTION_MS,
        partitions: config.PARTITIONS,
        retry,
      };
}

/** A partitioned service's replica: its store file, port offset and partition (none with PARTITIONS=1). */
export function replicaOf(config: CommonConfig, partitioned: boolean) {
  const replica = partitioned && config.PARTITIONS > 1 ? config.REPLICA : undefined;
  return {
    partition: replica,
    storeFile: (file: string) =>
      replica === undefined ? file : file.replace(/\.db$/, `.partition-${replica}.db`),
    portOffset: 10 * (replica ?? 0),
  };
}

/**
 * The whole of a service's `main`: read the configuration (exit 1 naming the bad variable), create the real
 * adapters, build the app, shut down gracefully on SIGTERM/SIGINT (stop consuming, finish messages in hand,
 * flush the outbox, close the server, the bus and the store), listen.
 */
export async function runService<S extends TObject>(spec: ServiceSpec<S>): Promise<ServiceApp> {
  let config: Static<S> & CommonConfig;
  try {
    config = loadConfig(spec.config) as Static<S> & CommonConfig;
    checkReplica(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${spec.name}: ${err.message}\n`);
    process.exit(1);
  }
  const log = createLogger({
    service: spec.name,
    level: config.LOG_LEVEL,
    ...(config.LOG_PRETTY !== undefined ? { pretty: isOn(config.LOG_PRETTY) } : {}),
  });
  const metrics = createMetrics(spec.name);
  const bus = await openBus(busConfig(config), {
    observer: metrics.bus,
    onError: (err) => log.warn({ err }, 'bus: recovered from an error'),
  });
  log.info({ bus: bus.kind }, `bus: ${bus.description}`);
  let lastCheckpointWarning = 0;
  // stateful by store (contracts' PARTITIONED_SERVICES): with PARTITIONS > 1 each replica consumes its
  // partition alone, keeps its own store file and listens on the service's port + 10 × REPLICA
  const replica = replicaOf(config, PARTITIONED_SERVICES.includes(spec.name));
  const storePath = spec.store
    ? join(resolve(config.DATA_DIR), replica.storeFile(spec.store.file))
    : undefined;
  const db = storePath ? openDatabase(storePath, spec.store!.migrations) : undefined;
  db?.pragma(`cache_size = -${config.SQLITE_CACHE_MB * 1024}`);
  const stopCheckpoints =
    db && storePath
      ? checkpointInBackground(db, storePath, (err) => {
          // every 200 ms while it lasts (a full disk): said once a minute
          if (Date.now() - lastCheckpointWarning < 60_000) return;
          lastCheckpointWarning = Date.now();
          log.warn({ err }, 'store checkpoint failed');
        })
      : undefined;
  const keys = { apiKey: config.API_KEY, readApiKey: config.READ_API_KEY };
  const partition = replica.partition === undefined ? {} : { partition: replica.partition };
  const app = await spec.build({ bus, log, metrics, keys, ...partition, ...(db ? { db } : {}) }, config);

  closeWithGrace({ delay: 15_000, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an unexpected error');
    else log.info({ signal }, 'shutting down');
    await app.close();
    await bus.close();
    await stopCheckpoints?.();
    db?.close();
  });
  await app.listen({ host: config.HOST, port: spec.port(config) + replica.portOffset });
  if (config.PARENT_PID) watchParent(config.PARENT_PID, log);
  return app;
}

/** Shuts down gracefully when the launcher that started this process has died without stopping it. */
function watchParent(pid: number, log: { warn: (obj: object, msg: string) => void }): void {
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch {
      clearInterval(timer);
      log.warn({ parentPid: pid }, 'the launcher is gone; shutting down');
      process.kill(process.pid, 'SIGTERM');
    }
  }, 2000);
  timer.unref();
}

/**
 * Where each replica of a partitioned service answers: the comma-separated `explicit` list when given (one URL
 * per replica, in order: replicas on other hosts, as in the compose file), else replica i on `url`'s port +
 * 10 × i (as `pnpm start` runs them).
 */
export function replicaUrls(url: string, partitions: number, explicit?: string): string[] {
  const listed =
    explicit
      ?.split(',')
      .map((u) => u.trim().replace(/\/$/, ''))
      .filter(Boolean) ?? [];
  if (listed.length) {
    if (listed.length !== partitions)
      throw new Error(`${listed.length} replica URLs for PARTITIONS=${partitions}: give one per replica`);
    return listed;
  }
  return Array.from({ length: partitions }, (_, i) => {
    const u = new URL(url);
    u.port = String(Number(u.port || (u.protocol === 'https:' ? 443 : 80)) + 10 * i);
    return u.toString().replace(/\/$/, '');
  });
}
