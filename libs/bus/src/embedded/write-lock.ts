import type Database from 'better-sqlite3';

const setBusyTimeout = new WeakMap<Database.Database, (ms: number) => void>();

/**
 * Runs `fn` in a write transaction (BEGIN IMMEDIATE), waiting for the lock by yielding to the event loop
 * instead of SQLite's busy handler, which sleeps 1, 2, 5, 10… ms between tries: with a publisher and a
 * consumer taking turns every few milliseconds, those sleeps would cost more than the work. After
 * `spinMs` it falls back to a blocking wait with the connection's normal timeout.
 */
export async function writeTransaction<T>(db: Database.Database, fn: () => T, spinMs = 200): Promise<T> {
  let set = setBusyTimeout.get(db);
  if (!set) {
    const zero = db.prepare('PRAGMA busy_timeout = 0');
    const normal = db.prepare('PRAGMA busy_timeout = 10000');
    set = (ms) => void (ms ? normal : zero).get();
    setBusyTimeout.set(db, set);
  }
  const tx = db.transaction(fn);
  const deadline = performance.now() + spinMs;
  for (;;) {
    if (performance.now() > deadline) return tx.immediate();
    set(0);
    try {
      return tx.immediate();
    } catch (err) {
      // SQLITE_BUSY and its extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT, BUSY_TIMEOUT): try again
      if (!String((err as { code?: string }).code).startsWith('SQLITE_BUSY')) throw err;
    } finally {
      set(10_000);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}
