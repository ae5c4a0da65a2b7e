/**
 * `pnpm repartition <N>`: changes the number of partitions of a stopped platform, keeping every answer. The
 * procedure (README, "Scaling out"): stop ingest (nothing new comes in), let every replica catch up, stop
 * every service, run this with the new N, start again with PARTITIONS=N.
 *
 * It reads the partitions the stores have now, asks the bus to give every topic N partitions (refused while
 * a replica still consumes, or a service's subscription has messages left: they would reach the replica that
 * owned their store before), then splits each partitioned service's stores by the stores' new partitions
 * (contracts' partitionOf), by rules each service keeps next to its migrations (`db/split.ts`). The old files
 * go to `DATA_DIR/before-repartition-<time>/`. Run again after a failure: it carries on from where it stopped.
 */
import * as anomaly from '@stockpulse/anomaly';
import { openBus } from '@stockpulse/bus';
import { subscriptionNames, SUBSCRIPTIONS, topicNames } from '@stockpulse/contracts';
import * as forecaster from '@stockpulse/forecaster';
import * as notifier from '@stockpulse/notifier';
import * as processor from '@stockpulse/processor';
import {
  busConfig,
  loadConfig,
  serviceEnv,
  splitStores,
  type Migration,
  type SplitSpec,
} from '@stockpulse/service-kit';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Each partitioned service's store file (its main.ts), migrations and split rules. */
const SERVICES: { name: string; file: string; migrations: readonly Migration[]; split: SplitSpec }[] = [
  { name: 'processor', file: 'inventory_metrics.db', ...processor },
  { name: 'forecaster', file: 'ml_metrics.db', ...forecaster },
  { name: 'anomaly', file: 'anomalies.db', ...anomaly },
  { name: 'notifier', file: 'notifications.db', ...notifier },
];

const to = Number(process.argv[2]);
if (process.argv.length !== 3 || !Number.isInteger(to) || to < 1 || to > 64) {
  console.error('usage: pnpm repartition <partitions, 1–64>');
  process.exit(2);
}
const config = loadConfig(serviceEnv({}));
const dir = resolve(config.DATA_DIR);
const named = (file: string, n: number) =>
  n === 1
    ? [join(dir, file)]
    : Array.from({ length: n }, (_, i) => join(dir, file.replace(/\.db$/, `.partition-${i}.db`)));
/** The partitions a service's stores have: the files there are (none: nothing to split). */
const countOf = (file: string) => {
  let n = 0;
  while (existsSync(named(file, 64)[n]!)) n++;
  return n || (existsSync(join(dir, file)) ? 1 : 0);
};

const counts = SERVICES.map((s) => countOf(s.file));
// a run that stopped part-way left some services split already
const others = [...new Set(counts.filter((n) => n !== 0 && n !== to))];
const from = others[0] ?? to;
if (others.length > 1) {
  console.error(`stores disagree: ${SERVICES.map((s, i) => `${s.name} ${counts[i]}`).join(', ')} partitions`);
  process.exit(1);
}
try {
  const bus = await openBus(busConfig({ ...config, PARTITIONS: to }));
  try {
    // the services' subscriptions as they are with the old N (not the gateway's live stream: about now)
    const used = new Set(
      SUBSCRIPTIONS.filter((s) => s.initialPosition === 'earliest').flatMap((s) =>
        subscriptionNames(s, from),
      ),
    );
    await bus.repartition(topicNames, to, (s) => used.has(s));
  } finally {
    await bus.close();
  }
  if (from === to) {
    console.log(`stockpulse: ${to} partition${to === 1 ? '' : 's'}; no store to split`);
    process.exit(0);
  }
  const backup = join(dir, `before-repartition-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  for (const s of SERVICES) {
    if (counts[SERVICES.indexOf(s)] !== from) continue;
    const started = performance.now();
    const { rows } = splitStores(named(s.file, from), named(s.file, to), s.migrations, s.split, backup);
    console.log(
      `stockpulse: ${s.name} ${from} → ${to} partitions (rows ${rows.join(', ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  console.log(
    `stockpulse: re-partitioned to ${to}; the old stores are in ${backup}. Start with PARTITIONS=${to}.`,
  );
} catch (err) {
  console.error(`stockpulse: re-partition refused: ${(err as Error).message}`);
  process.exit(1);
}
