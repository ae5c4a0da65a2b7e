/**
 * The processes `pnpm start` runs: every service in services/ in start order, stateful ones (contracts'
 * PARTITIONED_SERVICES) as PARTITIONS replicas, replica i as `<service>#i` on the service's port + 10 × i.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PARTITIONED_SERVICES } from '@stockpulse/contracts';

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

export interface Running {
  /** `processor`, or `processor#1` for replica 1 when PARTITIONS > 1. */
  name: string;
  service: string;
  replica: number;
  child?: ChildProcess;
  restarts: number;
  startedAt: number;
}

/** The services under `root`/services (those with a `src/main.ts`), in start order. */
export function servicesIn(root: string): string[] {
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  return readdirSync(join(root, 'services'))
    .filter((name) => existsSync(join(root, 'services', name, 'src/main.ts')))
    .sort((a, b) => rank(a) - rank(b));
}

export function processesOf(services: readonly string[], partitions: number): Running[] {
  return services.flatMap((service) => {
    const replicas = PARTITIONED_SERVICES.includes(service) ? partitions : 1;
    return Array.from({ length: replicas }, (_, replica) => ({
      name: replicas > 1 ? `${service}#${replica}` : service,
      service,
      replica,
      restarts: 0,
      startedAt: 0,
    }));
  });
}

/** Where a process is reached: `<SERVICE>_URL` for the first replica when set, else HOST and its port. */
export function urlOf(env: NodeJS.ProcessEnv) {
  const host = env.HOST ?? '127.0.0.1';
  const port = (service: string) => Number(env[`${service.toUpperCase()}_PORT`] ?? PORTS[service]);
  return (service: string, replica = 0) =>
    (replica === 0 && env[`${service.toUpperCase()}_URL`]) ||
    `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port(service) + 10 * replica}`;
}
