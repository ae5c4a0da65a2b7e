import { partitionOf } from '@stockpulse/contracts';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openDatabase, type Migration, type SqliteDatabase } from './database.js';

/**
 * Where a table's rows go when a service's stores are split again (`<store>.partition-<i>.db`, N → M):
 * - `store`: to the new partition of the store this SQL (over the old row `t`) names;
 * - `everywhere`: to every new store — `owner`: the rows the store's old owner holds (every replica has
 *   the row, the owner's is the one to keep), `first`: the first old store's (every old store has them all),
 *   `all`: every old store's (duplicates ignored);
 * - `same`: from old store i to new store i;
 * - `derived`: none: the service's `after` makes them from the rest.
 * `offset` names an integer key kept unique across the old stores by adding the sizes of the old stores
 * before (and `refs`, columns that hold such keys of another table); `renumber`, one numbered afresh in its
 * order (where its largest value is a count).
 */
export type SplitRule = (
  | { store: string }
  | { everywhere: 'owner'; store: string }
  | { everywhere: 'first' | 'all' }
  | { same: true }
  | { derived: true }
) & { offset?: string; renumber?: string; refs?: Record<string, string> };

export interface SplitSpec {
  /** A rule per table; a table without one is routed by its `store_location` (none: refused, naming it). */
  rules: Readonly<Record<string, SplitRule>>;
  /** Run in each new store once its rows are in; `owned(store)` is true for the stores it now holds. */
  after?(db: SqliteDatabase): void;
}

/** The kit's tables: the inbox everywhere, the outbox with its messages' stores, jobs where they ran. */
const KIT_RULES: Record<string, SplitRule> = {
  inbox: { everywhere: 'all' },
  outbox: { store: "COALESCE(json_extract(t.envelope, '$.payload.store_location'), t.key)", renumber: 'seq' },
  jobs: { same: true },
  probe: { derived: true },
  schema_migrations: { derived: true },
};

/**
 * Splits a service's old stores (in partition order) into `targets.length` new ones: each new store made by
 * the service's migrations, filled table by table by the rules, in one transaction; then the old files are
 * moved to `backup` and the new ones take the targets' names. Offline: no replica may have a store open.
 */
export function splitStores(
  old: readonly string[],
  targets: readonly string[],
  migrations: readonly Migration[],
  spec: SplitSpec,
  backup: string,
): { rows: number[] } {
  const to = targets.length;
  const from = old.length;
  const made = targets.map((target, j) => {
    const path = `${target}.repartition`;
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    const db = openDatabase(path, migrations);
    db.function('partition_of', { deterministic: true }, (store, n) =>
      partitionOf(String(store ?? ''), Number(n)),
    );
    db.function('owned', { deterministic: true }, (store) =>
      partitionOf(String(store ?? ''), to) === j ? 1 : 0,
    );
    return { db, path };
  });
  const tables = made[0]!.db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .map((t) => t.name);
  const columns = (db: SqliteDatabase, schema: string, table: string) =>
    db
      .prepare<[], { name: string }>(`PRAGMA ${schema}.table_info("${table}")`)
      .all()
      .map((c) => c.name);
  const ruleOf = (table: string): SplitRule => {
    const rule = spec.rules[table] ?? KIT_RULES[table];
    if (rule) return rule;
    if (columns(made[0]!.db, 'main', table).includes('store_location')) return { store: 't.store_location' };
    throw new Error(`${table}: no rule says where its rows go, and it has no store_location`);
  };
  // the old stores' largest keys, for the offsets
  const offsets = new Map<string, number[]>();
  for (const table of tables) {
    const key = ruleOf(table).offset;
    if (!key) continue;
    let sum = 0;
    offsets.set(
      table,
      old.map((file) => {
        const before = sum;
        const probe = openDatabase(file, migrations);
        sum +=
          (probe.prepare(`SELECT COALESCE(MAX("${key}"), 0) FROM "${table}"`).pluck().get() as number) ?? 0;
        probe.close();
        return before;
      }),
    );
  }
  const rows = targets.map(() => 0);
  made.forEach(({ db }, j) => {
    // SQLite attaches outside a transaction: one transaction per old store
    old.forEach((file, i) => {
      db.prepare('ATTACH DATABASE ? AS old').run(file);
      try {
        db.transaction(() => {
          for (const table of tables) rows[j]! += copy(db, table, ruleOf(table), i, j);
        })();
      } finally {
        db.prepare('DETACH DATABASE old').run();
      }
    });
    if (spec.after) db.transaction(() => spec.after!(db))();
  });

  function copy(db: SqliteDatabase, table: string, rule: SplitRule, i: number, j: number): number {
    if ('derived' in rule) return 0;
    if ('same' in rule && i !== j) return 0;
    if ('everywhere' in rule && rule.everywhere === 'first' && i !== 0) return 0;
    const had = new Set(columns(db, 'old', table));
    const cols = columns(db, 'main', table).filter((c) => had.has(c) && c !== rule.renumber);
    const exprs = cols.map((c) => {
      const shifted = c === rule.offset ? table : rule.refs?.[c];
      return shifted ? `t."${c}" + ${offsets.get(shifted)![i]!}` : `t."${c}"`;
    });
    const where =
      'store' in rule
        ? 'everywhere' in rule
          ? `partition_of(${rule.store}, ${from}) = ${i}`
          : `partition_of(${rule.store}, ${to}) = ${j}`
        : '1';
    const order = rule.renumber ? ` ORDER BY t."${rule.renumber}"` : '';
    const verb = 'everywhere' in rule && rule.everywhere === 'all' ? 'INSERT OR IGNORE' : 'INSERT';
    return db
      .prepare(
        `${verb} INTO main."${table}" (${cols.map((c) => `"${c}"`).join(', ')}) SELECT ${exprs.join(', ')} FROM old."${table}" t WHERE ${where}${order}`,
      )
      .run().changes;
  }

  // the old files aside, the new ones in their place
  made.forEach(({ db }) => db.close());
  mkdirSync(backup, { recursive: true });
  for (const file of old)
    for (const f of [file, `${file}-wal`, `${file}-shm`])
      if (existsSync(f)) renameSync(f, join(backup, basename(f)));
  made.forEach(({ path }, j) => {
    for (const suffix of ['-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    renameSync(path, targets[j]!);
  });
  return { rows };
}
