import type { SqliteDatabase } from '@stockpulse/service-kit';
import { uuidv7 } from 'uuidv7';

/** A window in which webhooks stay quiet for a store, a type of notification, or both (or everything). */
export interface Mute {
  id: string;
  store_location: string | null;
  type: string | null;
  starts_at: string;
  ends_at: string;
  reason: string;
  created_at: string;
}

/** Mute windows: notifications still open, change and stream while one covers them; webhooks are not called. */
export function createMutesRepository(db: SqliteDatabase) {
  const active = db.prepare<[string, string, string, string], Mute>(
    `SELECT * FROM mutes WHERE starts_at <= ? AND ends_at > ?
       AND (store_location IS NULL OR store_location = ?) AND (type IS NULL OR type = ?)
     ORDER BY ends_at DESC LIMIT 1`,
  );
  return {
    list: () => db.prepare<[], Mute>('SELECT * FROM mutes ORDER BY starts_at DESC, id').all(),
    add(fields: Omit<Mute, 'id' | 'created_at'> & { id?: string }): Mute {
      const mute: Mute = {
        ...fields,
        id: fields.id ?? `mu-${uuidv7()}`,
        created_at: new Date().toISOString(),
      };
      db.prepare(
        `INSERT INTO mutes (id, store_location, type, starts_at, ends_at, reason, created_at)
         VALUES (@id, @store_location, @type, @starts_at, @ends_at, @reason, @created_at)`,
      ).run(mute);
      return mute;
    },
    remove: (id: string) => db.prepare('DELETE FROM mutes WHERE id = ?').run(id).changes > 0,
    /** The mute that covers a notification of `type` at `store` at time `at`, if any. */
    active: (store: string, type: string, at: string) => active.get(at, at, store, type),
  };
}

export type MutesRepository = ReturnType<typeof createMutesRepository>;
