import type { SqliteDatabase } from './database.js';

/**
 * Answers of read endpoints kept for as long as the store has not changed: the store's connection counts
 * every row it has ever written (`total_changes()`), so an answer computed at count N is exact while the
 * count is still N. Valid only for a store written through this one connection, which is how every service
 * owns its store. A busy writer makes answers expire at once; an idle or slowly written store (forecasts,
 * which change when a series is retrained) serves a dashboard's repeated reads without touching SQLite.
 */
export function readCache(db: SqliteDatabase, maxEntries = 200) {
  const changes = db.prepare('SELECT total_changes()').pluck();
  const entries = new Map<string, { version: number; value: unknown }>();
  return {
    get<T>(key: string, compute: () => T): T {
      const version = changes.get() as number;
      const hit = entries.get(key);
      if (hit && hit.version === version) return hit.value as T;
      const value = compute();
      entries.delete(key);
      entries.set(key, { version, value });
      // the oldest entry goes first (a Map iterates in insertion order)
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return value;
    },
  };
}
