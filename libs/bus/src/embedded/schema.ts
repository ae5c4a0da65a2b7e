import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The embedded bus: one SQLite file (WAL) shared by every process on the machine.
 *
 * - `messages` is the log of every topic; `seq` is global and never reused (AUTOINCREMENT), so cursors stay
 *   valid after pruning.
 * - A subscription is split into `lanes`, each with its own cursor and at most one owner: one lane for
 *   `exclusive`; LANES for `shared` (lane = seq mod LANES, round robin) and `key_shared` (lane = hash(key) mod
 *   LANES, so one key has one owner at a time and keeps its order). Live consumers divide the lanes.
 * - `inflight_to` marks the batch an owner is handling; if it is still above the cursor when the lane is next
 *   read, its owner died mid-batch, and the lane replays those messages one at a time (`recover_to`); a
 *   message whose lone replay (`replaying`) kills its consumer `maxAttempts` times goes to the dead-letter
 *   topic instead of looping. A retry that kills its consumer uses up its attempts the same way.
 * - A message whose handler threw waits in `retries` (attempts, due time, last error) off the lane's cursor.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  key TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  properties TEXT,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_topic ON messages (topic, seq);
CREATE TABLE IF NOT EXISTS subscriptions (
  topic TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  lanes INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (topic, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lanes (
  topic TEXT NOT NULL,
  subscription TEXT NOT NULL,
  lane INTEGER NOT NULL,
  cursor INTEGER NOT NULL,
  owner TEXT,
  inflight_to INTEGER NOT NULL DEFAULT 0,
  recover_to INTEGER NOT NULL DEFAULT 0,
  recover_runs INTEGER NOT NULL DEFAULT 0,
  replaying INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (topic, subscription, lane)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS consumers (
  id TEXT PRIMARY KEY,
  topic TEXT NOT NULL,
  subscription TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  lease_until INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS retries (
  topic TEXT NOT NULL,
  subscription TEXT NOT NULL,
  seq INTEGER NOT NULL,
  lane INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  PRIMARY KEY (topic, subscription, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;

export const SCHEMA_VERSION = 1;

/**
 * Opens (and creates) the bus file. `synchronous=NORMAL` in WAL mode survives a crash of any process
 * (SIGKILL) but may lose the last commits on power loss; `durability: 'full'` survives both, at a cost.
 */
export function openBusDatabase(path: string, durability: 'normal' | 'full' = 'normal'): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('journal_size_limit = 67108864');
  // checkpoints run in a worker thread (checkpointer.ts), never inside a publisher's commit
  db.pragma('wal_autocheckpoint = 0');
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `${path} was written by a newer stockpulse (bus schema ${version} > ${SCHEMA_VERSION})`,
      );
    }
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
  return db;
}
