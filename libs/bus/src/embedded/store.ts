import type Database from 'better-sqlite3';

export interface StoredMessage {
  seq: number;
  key: string;
  body: string;
  properties: string | null;
}

export interface LaneRow {
  lane: number;
  cursor: number;
  owner: string | null;
  inflight_to: number;
  recover_to: number;
  recover_runs: number;
  replaying: number;
}

export interface RetryRow extends StoredMessage {
  lane: number;
  attempts: number;
}

export interface ConsumerRow {
  id: string;
  host: string;
  pid: number;
  lease_until: number;
}

export interface AppendRow {
  topic: string;
  key: string;
  body: string;
  properties: string | null;
}

const APPEND_CHUNK = 16;

export const parseProperties = (raw: string | null): Record<string, string> =>
  raw ? (JSON.parse(raw) as Record<string, string>) : {};

/** The part of a prepared statement the bus uses (an interface of ours, so declaration files can name it). */
export interface Statement<P extends unknown[], R = unknown> {
  run(...params: P): Database.RunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

/** Every statement of the embedded bus, prepared once per connection. */
export function createStore(db: Database.Database) {
  const prepare = <P extends unknown[], R = unknown>(sql: string): Statement<P, R> => db.prepare<P, R>(sql);
  const appendSql = (rows: number) =>
    `INSERT INTO messages (topic, key, published_at, properties, body) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?)').join(', ')}`;
  const appendChunk = db.prepare(appendSql(APPEND_CHUNK));
  const s = {
    append: prepare<[string, string, number, string | null, string]>(appendSql(1)),
    /** Appends in statements of APPEND_CHUNK rows: a third faster than one statement per row. */
    appendMany(rows: readonly AppendRow[], now: number): void {
      let i = 0;
      for (; i + APPEND_CHUNK <= rows.length; i += APPEND_CHUNK) {
        const args: unknown[] = [];
        for (let j = i; j < i + APPEND_CHUNK; j++) {
          const r = rows[j]!;
          args.push(r.topic, r.key, now, r.properties, r.body);
        }
        appendChunk.run(args);
      }
      for (; i < rows.length; i++) {
        const r = rows[i]!;
        s.append.run(r.topic, r.key, now, r.properties, r.body);
      }
    },
    lastSeq: prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'messages'"),
    readAfter: prepare<[string, number, number], StoredMessage>(
      'SELECT seq, key, body, properties FROM messages WHERE topic = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    subscription: prepare<[string, string], { type: string; lanes: number }>(
      'SELECT type, lanes FROM subscriptions WHERE topic = ? AND name = ?',
    ),
    createSubscription: prepare<[string, string, string, number, number]>(
      'INSERT INTO subscriptions (topic, name, type, lanes, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    createLane: prepare<[string, string, number, number, number]>(
      'INSERT INTO lanes (topic, subscription, lane, cursor, inflight_to) VALUES (?, ?, ?, ?, ?)',
    ),
    lanes: prepare<[string, string], LaneRow>(
      'SELECT lane, cursor, owner, inflight_to, recover_to, recover_runs, replaying FROM lanes WHERE topic = ? AND subscription = ? ORDER BY lane',
    ),
    setOwner: prepare<[string | null, string, string, number]>(
      'UPDATE lanes SET owner = ? WHERE topic = ? AND subscription = ? AND lane = ?',
    ),
    releaseAll: prepare<[string]>('UPDATE lanes SET owner = NULL WHERE owner = ?'),
    saveLane: prepare<[number, number, number, number, number, string, string, number]>(
      'UPDATE lanes SET cursor = ?, inflight_to = ?, recover_to = ?, recover_runs = ?, replaying = ? WHERE topic = ? AND subscription = ? AND lane = ?',
    ),
    consumers: prepare<[string, string], ConsumerRow>(
      'SELECT id, host, pid, lease_until FROM consumers WHERE topic = ? AND subscription = ? ORDER BY id',
    ),
    upsertConsumer: prepare<[string, string, string, string, number, number]>(
      `INSERT INTO consumers (id, topic, subscription, host, pid, lease_until) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until`,
    ),
    renewConsumer: prepare<[number, string]>('UPDATE consumers SET lease_until = ? WHERE id = ?'),
    deleteConsumer: prepare<[string]>('DELETE FROM consumers WHERE id = ?'),
    /** Due retries of the lanes a consumer owns (others' retries are not its business). */
    dueRetries: prepare<[string, string, string, number, number], RetryRow>(
      `SELECT r.seq, r.lane, r.attempts, m.key, m.body, m.properties FROM retries r
       JOIN lanes l ON l.topic = r.topic AND l.subscription = r.subscription AND l.lane = r.lane
       JOIN messages m ON m.seq = r.seq
       WHERE r.topic = ? AND r.subscription = ? AND l.owner = ? AND r.due_at <= ? ORDER BY r.seq LIMIT ?`,
    ),
    nextRetryDue: prepare<[string, string, string], { due: number | null }>(
      `SELECT MIN(r.due_at) AS due FROM retries r
       JOIN lanes l ON l.topic = r.topic AND l.subscription = r.subscription AND l.lane = r.lane
       WHERE r.topic = ? AND r.subscription = ? AND l.owner = ?`,
    ),
    countAttempt: prepare<[string, string, number]>(
      'UPDATE retries SET attempts = attempts + 1 WHERE topic = ? AND subscription = ? AND seq = ?',
    ),
    insertRetry: prepare<[string, string, number, number, number, number, string]>(
      'INSERT OR REPLACE INTO retries (topic, subscription, seq, lane, attempts, due_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    deleteRetry: prepare<[string, string, number]>(
      'DELETE FROM retries WHERE topic = ? AND subscription = ? AND seq = ?',
    ),
  };
  return s;
}

export type Store = ReturnType<typeof createStore>;
