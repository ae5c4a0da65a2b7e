import { message, type InventoryEventPayload } from '@stockpulse/contracts';
import {
  likePattern,
  orderBySql,
  searchSql,
  type Order,
  type Outbox,
  type SqliteDatabase,
} from '@stockpulse/service-kit';
import type { AcceptedRecord } from '../domain/record.js';

export interface IngestContext {
  source: InventoryEventPayload['source'];
  /** Ties every message of one request or job together downstream. */
  correlationId: string;
  jobId?: string;
  /** Labels of injected anomalies, by index into the records. */
  labels?: Map<number, { kind: string; detail: string }>;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

export interface EventFilter {
  store?: string | undefined;
  category?: string | undefined;
  product?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Case-insensitive substring of the product, description, store or category. */
  q?: string | undefined;
}

/** Arrival order, newest first: the default, and every sort's tie-break (`seq` is unique). */
export const EVENT_ORDER: Order = [['seq', -1]];

/**
 * The columns `GET /api/events` sorts by, as stored (times as ISO text, which sorts as time). The default order
 * is the table's key; a filter on a store and product with a sort by `event_timestamp` reads the
 * `events_by_series` index. Any other sort, like a search, reads every event the filters leave: fine for one
 * product's events or a day's (`from`/`to`), about a second per million events stored without filters —
 * an index per sortable column would cost every ingested event a write each.
 */
export const EVENT_SORTS = [
  'event_timestamp',
  'received_at',
  'product_id',
  'store_location',
  'category',
  'description',
  'quantity',
  'units_sold',
  'units_received',
  'price',
  'event_id',
  'source',
];
const SORT_SQL: Record<string, string> = {
  seq: 'seq',
  ...Object.fromEntries(EVENT_SORTS.map((c) => [c, c])),
};

/** The events store: what ingest accepted, in arrival order; each new event also goes to the outbox. */
export function createEventsRepository(db: SqliteDatabase, outbox: Outbox) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO events (event_id, product_id, store_location, category, description, quantity, units_sold,
       units_received, price, event_timestamp, received_at, source, job_id)
     VALUES (@event_id, @product_id, @store_location, @category, @description, @quantity, @units_sold,
       @units_received, @price, @event_timestamp, @received_at, @source, @job_id)`,
  );
  const label = db.prepare(
    `INSERT OR IGNORE INTO anomaly_labels (event_id, kind, product_id, store_location, category, event_timestamp,
       detail, job_id, injected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  /**
   * Stores the records and enqueues their messages in one transaction. A record whose event id is already
   * stored (sent before, or twice in this batch) is a duplicate: counted, neither stored nor published again.
   */
  const ingest = db.transaction((records: readonly AcceptedRecord[], ctx: IngestContext): IngestResult => {
    const receivedAt = new Date().toISOString();
    const messages = [];
    let duplicates = 0;
    for (const [index, record] of records.entries()) {
      const payload: InventoryEventPayload = { ...record, received_at: receivedAt, source: ctx.source };
      const row = {
        description: null,
        quantity: null,
        units_sold: null,
        units_received: null,
        ...payload,
        job_id: ctx.jobId ?? null,
      };
      if (insert.run(row).changes === 0) {
        duplicates++;
        continue;
      }
      messages.push(
        message('stockpulse.inventory-events', payload, {
          producer: 'ingest',
          correlationId: ctx.correlationId,
        }),
      );
      const injected = ctx.labels?.get(index);
      if (injected) {
        label.run(
          record.event_id,
          injected.kind,
          record.product_id,
          record.store_location,
          record.category,
          record.event_timestamp,
          injected.detail,
          ctx.jobId ?? null,
          receivedAt,
        );
      }
    }
    outbox.enqueue(messages);
    return { accepted: messages.length, duplicates };
  });

  const where = (f: EventFilter) => {
    const clauses: string[] = [];
    const params: Record<string, string> = {};
    const add = (sql: string, key: string, value: string | undefined) => {
      if (value === undefined) return;
      clauses.push(sql);
      params[key] = value;
    };
    add('store_location = @store', 'store', f.store);
    add('category = @category', 'category', f.category);
    add('product_id = @product', 'product', f.product);
    add('event_timestamp >= @from', 'from', f.from);
    add('event_timestamp < @to', 'to', f.to);
    const q = likePattern(f.q);
    if (q !== null) {
      clauses.push(searchSql(['product_id', 'description', 'store_location', 'category']));
      params.q = q;
    }
    return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  };

  const bounds = db.prepare<[], { first: number | null; last: number | null }>(
    'SELECT MIN(seq) AS first, MAX(seq) AS last FROM events',
  );
  const receivedAt = db.prepare<[number], { seq: number; received_at: string }>(
    'SELECT seq, received_at FROM events WHERE seq >= ? ORDER BY seq LIMIT 1',
  );

  return {
    /**
     * Events stored, and accepted over the last `seconds`: arrival order is sequence order, so the first event
     * received in the window is found by binary search over the sequence (a few lookups, whatever the size).
     */
    stats(seconds = 60) {
      const { first, last } = bounds.get()!;
      if (first === null || last === null)
        return { total: 0, last_window: 0, events_per_second: 0, latest_received_at: null };
      const cutoff = new Date(Date.now() - seconds * 1000).toISOString();
      let lo = first;
      let hi = last + 1;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        const row = receivedAt.get(mid);
        if (row && row.received_at < cutoff) lo = row.seq + 1;
        else hi = mid;
      }
      // events are never deleted, so sequence numbers count them
      const recent = last - lo + 1;
      return {
        total: last - first + 1,
        last_window: recent,
        events_per_second: Math.round((recent / seconds) * 100) / 100,
        latest_received_at: receivedAt.get(last)!.received_at,
      };
    },
    ingest: (records: readonly AcceptedRecord[], ctx: IngestContext) => ingest.immediate(records, ctx),

    /** A page of events in an order (most recently received first by default). */
    list(filter: EventFilter, page: { limit: number; offset: number; order?: Order }) {
      const { limit, offset, order = EVENT_ORDER } = page;
      const w = where(filter);
      const items = db
        .prepare(
          `SELECT event_id, product_id, store_location, category, description, quantity, units_sold, units_received,
             price, event_timestamp, received_at, source FROM events ${w.sql}
           ORDER BY ${orderBySql(order, SORT_SQL)} LIMIT @limit OFFSET @offset`,
        )
        .all({ ...w.params, limit, offset }) as Record<string, unknown>[];
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM events ${w.sql}`).get(w.params) as { n: number })
        .n;
      return { items: items.map(withoutNulls), total };
    },

    count: () => (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n,

    labels(filter: { kind?: string | undefined; jobId?: string | undefined }, limit: number, offset: number) {
      const rows = db
        .prepare(
          `SELECT event_id, kind, product_id, store_location, category, event_timestamp, detail, job_id, injected_at
           FROM anomaly_labels WHERE (@kind IS NULL OR kind = @kind) AND (@job IS NULL OR job_id = @job)
           ORDER BY event_timestamp LIMIT @limit OFFSET @offset`,
        )
        .all({ kind: filter.kind ?? null, job: filter.jobId ?? null, limit, offset }) as Record<
        string,
        unknown
      >[];
      const total = (
        db
          .prepare(
            'SELECT COUNT(*) AS n FROM anomaly_labels WHERE (@kind IS NULL OR kind = @kind) AND (@job IS NULL OR job_id = @job)',
          )
          .get({ kind: filter.kind ?? null, job: filter.jobId ?? null }) as { n: number }
      ).n;
      return { items: rows.map(withoutNulls), total };
    },
  };
}

export type EventsRepository = ReturnType<typeof createEventsRepository>;

/** Optional fields are absent, not null, in the API (as in the event itself). */
function withoutNulls(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
}
