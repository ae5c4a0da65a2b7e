import { deadLetterTopic } from '@stockpulse/contracts';
import type Database from 'better-sqlite3';
import { replayOf } from '../dispatch.js';
import type { DeadLetterQueue } from '../port.js';
import { parseProperties, type Store, type StoredMessage } from './store.js';

/**
 * Dead letters on the embedded bus: `<topic>.<subscription>.dlq` topics in the same `messages` log. Their
 * depth is what they hold (retention keeps them until someone acknowledges them); a replay moves messages
 * back to their topic and out of the dead-letter topic in one transaction, so a crash can neither lose nor
 * double them.
 */
export function createDeadLetters(db: Database.Database, store: Store) {
  const subscriptions = db.prepare<[], { topic: string; name: string }>(
    "SELECT topic, name FROM subscriptions WHERE topic NOT LIKE '%.dlq' ORDER BY topic, name",
  );
  const depth = db.prepare<[string], number>('SELECT COUNT(*) FROM messages WHERE topic = ?').pluck();
  const oldest = db.prepare<[string, number], StoredMessage>(
    'SELECT seq, key, body, properties FROM messages WHERE topic = ? ORDER BY seq LIMIT ?',
  );
  const remove = db.prepare<[number]>('DELETE FROM messages WHERE seq = ?');

  return {
    list(): DeadLetterQueue[] {
      return subscriptions.all().map(({ topic, name }) => {
        const dlq = deadLetterTopic(topic, name);
        return { topic: dlq, originTopic: topic, subscription: name, depth: depth.get(dlq) ?? 0 };
      });
    },

    /** Runs inside the caller's write transaction; returns how many messages moved. */
    replay(dlq: string, limit: number, now = Date.now()): number {
      const messages = oldest.all(dlq, limit);
      for (const m of messages) {
        const to = replayOf(dlq, parseProperties(m.properties));
        store.append.run(to.topic, m.key, now, JSON.stringify(to.properties), m.body);
        remove.run(m.seq);
      }
      return messages.length;
    },
  };
}
