import type { SqliteDatabase } from './database.js';

/**
 * Answers of read endpoints (serialised JSON) kept for as long as the store has not changed: the store's
 * connection counts every row it has ever written (`total_changes()`), so an answer computed at count N is
 * exact while the count is still N. Valid only for a store written through this one connection, which is how
 * every service owns its store. A busy writer makes answers expire at once; an idle or slowly written store
 * (forecasts, which change when a series is retrained) serves a dashboard's repeated reads without touching
 * SQLite. Bounded in bytes as well as entries (least recently used go first); an answer larger than an
 * eighth of the budget is not kept.
 */
export function readCache(db: SqliteDatabase, { maxEntries = 200, maxBytes = 32 * 2 ** 20 } = {}) {
  const changes = db.prepare('SELECT total_changes()').pluck();
  const entries = new Map<string, { version: number; value: string }>();
  let bytes = 0;
  const drop = (key: string) => {
    const old = entries.get(key);
    if (!old) return;
    bytes -= old.value.length;
    entries.delete(key);
  };
  return {
    get(key: string, compute: () => string): string {
      const version = changes.get() as number;
      const hit = entries.get(key);
      if (hit && hit.version === version) {
        entries.delete(key); // most recently used last: a Map iterates in insertion order
        entries.set(key, hit);
        return hit.value;
      }
      drop(key);
      const value = compute();
      if (value.length > maxBytes / 8) return value;
      entries.set(key, { version, value });
      bytes += value.length;
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break;
        drop(oldest);
      }
      return value;
    },
  };
}
