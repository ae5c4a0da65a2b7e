import type Database from 'better-sqlite3';
import { writeTransaction } from './write-lock.js';

const CHUNK = 2000;

/**
 * Deletes messages that every subscription of their topic has acknowledged and that are older than
 * `retentionMs`. A topic without subscriptions keeps its messages for `retentionMs`. Dead-letter topics keep
 * theirs until they are replayed, even when a subscription (`pnpm tail`, say) has read them: on Pulsar they
 * wait in the `replay` subscription the same way. Messages waiting for a retry are never deleted. Runs in small chunks so it
 * never holds the write lock for long; one process prunes per interval (a `meta` row elects it).
 */
export function createPruner(db: Database.Database, retentionMs: number, intervalMs: number) {
  const elect = db.prepare<{ now: string; before: number }>(
    `INSERT INTO meta (key, value) VALUES ('pruned_at', @now) ON CONFLICT (key) DO UPDATE SET value = @now
     WHERE CAST(value AS INTEGER) <= @before`,
  );
  const topics = db.prepare<[], { topic: string; floor: number | null; subs: number }>(
    `SELECT t.topic, (SELECT MIN(l.cursor) FROM lanes l WHERE l.topic = t.topic) AS floor,
            (SELECT COUNT(*) FROM subscriptions s WHERE s.topic = t.topic) AS subs
     FROM (
       -- distinct topics by skipping through the (topic, seq) index instead of scanning every message
       WITH RECURSIVE d(topic) AS (
         SELECT MIN(topic) FROM messages
         UNION ALL SELECT (SELECT MIN(topic) FROM messages WHERE topic > d.topic) FROM d WHERE d.topic IS NOT NULL)
       SELECT topic FROM d WHERE topic IS NOT NULL) t`,
  );
  const remove = db.prepare<{ topic: string; upTo: number; before: number }>(
    `DELETE FROM messages WHERE seq IN (
       SELECT m.seq FROM messages m WHERE m.topic = @topic AND m.seq <= @upTo AND m.published_at < @before
       AND NOT EXISTS (SELECT 1 FROM retries r WHERE r.topic = m.topic AND r.seq = m.seq)
       ORDER BY m.seq LIMIT ${CHUNK})`,
  );

  /** Prunes if this process won the election for this interval; returns how many messages it deleted. */
  return async function prune(now = Date.now(), force = false): Promise<number> {
    const elected = () => elect.run({ now: String(now), before: now - intervalMs }).changes > 0;
    if (!force && !(await writeTransaction(db, elected))) return 0;
    let deleted = 0;
    for (const { topic, floor, subs } of topics.all()) {
      // dead letters stay until replayed (replaying removes them), whoever has read them
      if (topic.endsWith('.dlq')) continue;
      const upTo = subs === 0 ? Number.MAX_SAFE_INTEGER : (floor ?? 0);
      for (;;) {
        const n = await writeTransaction(
          db,
          () => remove.run({ topic, upTo, before: now - retentionMs }).changes,
        );
        deleted += n;
        if (n < CHUNK) break;
      }
    }
    return deleted;
  };
}
