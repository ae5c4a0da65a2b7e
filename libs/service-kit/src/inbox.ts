import type { Delivery } from '@stockpulse/bus';
import type { SqliteDatabase } from './database.js';

/**
 * Exactly-once effects over at-least-once delivery: the message id is recorded in the same transaction as
 * the state change it causes, so a redelivered message finds its id and changes nothing.
 */
export function createInbox(db: SqliteDatabase) {
  const record = db.prepare<[string, string, number]>(
    'INSERT OR IGNORE INTO inbox (message_id, topic, received_at) VALUES (?, ?, ?)',
  );
  const prune = db.prepare<[number]>('DELETE FROM inbox WHERE received_at < ?');

  return {
    /**
     * Runs `apply` once per message id, in one transaction with recording the id. Returns false when the
     * message had been handled before (nothing ran). Call it from a bus handler; do not catch its errors:
     * a throw rolls back both and lets the bus redeliver.
     */
    handleOnce(delivery: Pick<Delivery, 'topic' | 'envelope'>, apply: () => void): boolean {
      return db
        .transaction(() => {
          if (record.run(delivery.envelope.id, delivery.topic, Date.now()).changes === 0) return false;
          apply();
          return true;
        })
        .immediate();
    },
    /**
     * A batch in one transaction: records every message id and runs `apply` with the messages not seen
     * before (in delivery order). One commit for the batch instead of one per message.
     */
    handleBatch<D extends Pick<Delivery, 'topic' | 'envelope'>>(
      deliveries: readonly D[],
      apply: (fresh: D[]) => void,
    ): number {
      return db
        .transaction(() => {
          const now = Date.now();
          const fresh = deliveries.filter((d) => record.run(d.envelope.id, d.topic, now).changes > 0);
          if (fresh.length) apply(fresh);
          return fresh.length;
        })
        .immediate();
    },
    /** Forgets ids older than `olderThanMs` (far beyond any redelivery: the bus retains less). */
    prune(olderThanMs: number): number {
      return prune.run(Date.now() - olderThanMs).changes;
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
