import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** What the ledger remembers of a delivery that was in a consumer's hands. */
export interface HeldDelivery {
  /** The attempt it was delivered as. */
  attempt: number;
  /** Delivered alone (not in a batch with others), so its death is its own fault. */
  alone: boolean;
  /** Earlier deliveries of it, alone, that died with their process. */
  loneDeaths: number;
}

/**
 * The messages a consumer process has in its hands, in a small SQLite file (`pulsar-in-hand.db` beside the
 * service's store; in memory without one). Pulsar does not count a delivery whose consumer died: the message
 * comes back with the same redelivery count, so a message that kills its consumer on every delivery would
 * crash-loop its service for ever. Before a batch goes to the handler its ids are written here, and removed
 * once each is acknowledged, negatively acknowledged or dead-lettered. A message that arrives and is still
 * here was in the hands of a process that died: PulsarConsumer counts that delivery as an attempt, hands it
 * over alone, and dead-letters it once its lone deliveries have killed the consumer `maxAttempts` times.
 * Processes of one service on one host share the file (WAL); a consumer on another host does not see it, so
 * there a poison message needs up to `maxAttempts` deaths per host.
 */
export class InHandLedger {
  private readonly db: Database.Database;
  private readonly find: Database.Statement<
    [string, string],
    { attempt: number; alone: number; lone_deaths: number }
  >;
  private readonly hold: (scope: string, entries: readonly { id: string; held: HeldDelivery }[]) => void;
  private readonly release: (scope: string, ids: readonly string[]) => void;

  constructor(path = ':memory:') {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS in_hand (
      scope TEXT NOT NULL, id TEXT NOT NULL, attempt INTEGER NOT NULL, alone INTEGER NOT NULL,
      lone_deaths INTEGER NOT NULL, held_at INTEGER NOT NULL, PRIMARY KEY (scope, id)) WITHOUT ROWID`);
    // a message another host's consumer finished is never released here: forget it after a week
    this.db.prepare('DELETE FROM in_hand WHERE held_at < ?').run(Date.now() - 7 * 86_400_000);
    this.find = this.db.prepare('SELECT attempt, alone, lone_deaths FROM in_hand WHERE scope = ? AND id = ?');
    const upsert = this.db.prepare<[string, string, number, number, number, number]>(
      `INSERT INTO in_hand (scope, id, attempt, alone, lone_deaths, held_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (scope, id) DO UPDATE SET attempt = excluded.attempt, alone = excluded.alone,
         lone_deaths = excluded.lone_deaths, held_at = excluded.held_at`,
    );
    const remove = this.db.prepare<[string, string]>('DELETE FROM in_hand WHERE scope = ? AND id = ?');
    type Entries = readonly { id: string; held: HeldDelivery }[];
    this.hold = this.db.transaction((scope: string, entries: Entries) => {
      const now = Date.now();
      for (const { id, held } of entries)
        upsert.run(scope, id, held.attempt, held.alone ? 1 : 0, held.loneDeaths, now);
    });
    this.release = this.db.transaction((scope: string, ids: readonly string[]) => {
      for (const id of ids) remove.run(scope, id);
    });
  }

  /** The deliveries of these messages that died in a consumer's hands, by id (absent: none did). */
  recall(scope: string, ids: readonly string[]): Map<string, HeldDelivery> {
    const found = new Map<string, HeldDelivery>();
    for (const id of ids) {
      const row = this.find.get(scope, id);
      if (row) found.set(id, { attempt: row.attempt, alone: row.alone === 1, loneDeaths: row.lone_deaths });
    }
    return found;
  }

  /** Written before the handler runs (one transaction). */
  held(scope: string, entries: readonly { id: string; held: HeldDelivery }[]): void {
    if (entries.length) this.hold(scope, entries);
  }

  /** Done with them: acknowledged, sent back or dead-lettered (one transaction). */
  released(scope: string, ids: readonly string[]): void {
    if (ids.length) this.release(scope, ids);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
