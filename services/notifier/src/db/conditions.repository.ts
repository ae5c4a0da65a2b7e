import type { SqliteDatabase } from '@stockpulse/service-kit';
import type { Condition } from '../domain/digest.js';
import type { Signal } from '../domain/signals.js';

type Stored = Omit<Condition, 'signal'> & { signal: string };
const parse = (r: Stored | undefined): Condition | undefined =>
  r && { ...r, signal: JSON.parse(r.signal) as Signal };

/** Each product's stock condition while it holds: how often and since when it was seen, and whether it fired. */
export function createConditionsRepository(db: SqliteDatabase) {
  const get = db.prepare<[string], Stored>('SELECT * FROM conditions WHERE cause = ?');
  const upsert = db.prepare(
    `INSERT INTO conditions (cause, type, store_location, product_id, severity, first_at, last_at, observations,
       fired, signal)
     VALUES (@cause, @type, @store_location, @product_id, @severity, @at, @at, 1, 0, @signal)
     ON CONFLICT (cause) DO UPDATE SET severity = excluded.severity, signal = excluded.signal,
       observations = observations + 1, last_at = MAX(last_at, excluded.last_at)`,
  );
  const fired = db.prepare<[string, string], Stored>(
    'SELECT * FROM conditions WHERE store_location = ? AND type = ? AND fired = 1 ORDER BY product_id',
  );

  return {
    /** One more forecast saying the condition holds; returns it as it is now. */
    observe(signal: Signal): Condition {
      upsert.run({
        ...signal,
        product_id: signal.product_id!,
        signal: JSON.stringify(signal),
      });
      return parse(get.get(signal.cause))!;
    },
    fire(cause: string): void {
      db.prepare('UPDATE conditions SET fired = 1 WHERE cause = ?').run(cause);
    },
    /** The condition no longer holds: forgotten (its pending period starts again if it comes back). */
    drop(cause: string): Condition | undefined {
      const row = parse(get.get(cause));
      if (row) db.prepare('DELETE FROM conditions WHERE cause = ?').run(cause);
      return row;
    },
    fired: (store: string, type: string) => fired.all(store, type).map((r) => parse(r)!),
  };
}

export type ConditionsRepository = ReturnType<typeof createConditionsRepository>;
