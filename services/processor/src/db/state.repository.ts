import type { InventoryEventPayload } from '@stockpulse/contracts';
import type { SqliteDatabase } from '@stockpulse/service-kit';
import { attribute, type Attributed } from '../domain/demand.js';
import { utcDate } from '../domain/windows.js';
import { createSeriesQueries, type Neighbour } from './series.queries.js';
import type { Jump, WindowBook } from './window-book.js';

const FAR_FUTURE = Number.MAX_SAFE_INTEGER;

interface Closing {
  quantity: number;
  price: number;
  at: number;
  eventId: string;
}

/** What one batch changes in one product's day. */
interface DayChange extends Attributed {
  store: string;
  product: string;
  date: string;
  category: string;
  closing: Closing | null;
}

const later = (a: Closing, b: Closing | null) =>
  !b || a.at > b.at || (a.at === b.at && a.eventId > b.eventId);

/** A stock report as the next one's jump needs it. */
interface StockReport {
  quantity: number;
  price: number;
  category: string;
}

/** What the processor remembers of one product at one store, to apply the next report without a query. */
interface Series {
  /** Position of the latest report of any kind: a report after it is in order. */
  lastTs: number;
  lastId: string;
  /** The latest stock report, if any, and what sales-only reports said since. */
  previous: StockReport | null;
  since: Attributed;
}

/**
 * Applies inventory events to the processor's state: the event itself (with the demand and receipts it
 * implies), the report after it when its derived demand changes, current stock, daily demand, and what
 * it changes in the windows (told to the window book as points in time). Runs inside the caller's
 * transaction (with the inbox), so a crash leaves all of it or none; `finish()` writes what a batch
 * accumulated.
 *
 * Reports almost always come in order per product; those take a fast path that needs no query, thanks
 * to a small memory of each series. A late report takes the full path (its neighbours read from the
 * store, the reports after it re-derived, later windows marked). The memory is only a cache: `forget()`
 * (after a failed transaction) drops it, and it reloads from the store.
 */
export function createStateRepository(db: SqliteDatabase, book: WindowBook) {
  const q = createSeriesQueries(db);
  const series = new Map<string, Series>();
  const products = new Map<string, string>();
  const days = new Map<string, DayChange>();
  const stock = new Map<string, Record<string, unknown>>();

  function load(store: string, product: string): Series {
    const key = `${store}|${product}`;
    let s = series.get(key);
    if (!s) {
      const last = q.lastReport.get(store, product);
      const prev = last ? q.previousReport.get(store, product, FAR_FUTURE, FAR_FUTURE, '') : undefined;
      s = {
        lastTs: last?.event_timestamp ?? -Infinity,
        lastId: last?.event_id ?? '',
        previous: prev ? { quantity: prev.quantity!, price: prev.price, category: prev.category } : null,
        since: prev
          ? q.salesBetween(store, product, prev, { event_timestamp: FAR_FUTURE, event_id: '' })
          : { demand: 0, receipts: 0 },
      };
      series.set(key, s);
    }
    return s;
  }

  function addToDay(
    store: string,
    product: string,
    category: string,
    ms: number,
    delta: Attributed,
    closing: Closing | null = null,
  ): void {
    const date = utcDate(ms);
    const key = `${store}|${product}|${date}`;
    const day = days.get(key) ?? { store, product, date, category, demand: 0, receipts: 0, closing: null };
    day.demand += delta.demand;
    day.receipts += delta.receipts;
    if (closing && later(closing, day.closing)) day.closing = closing;
    days.set(key, day);
  }

  const closingOf = (e: InventoryEventPayload, ts: number): Closing | null =>
    e.quantity === undefined ? null : { quantity: e.quantity, price: e.price, at: ts, eventId: e.event_id };

  /**
   * A stock report's jumps in closing stock from the product's report before it, until `until`: one jump in
   * its group; two when the product moved category (out of the old group, into the new one).
   */
  function jump(
    store: string,
    e: InventoryEventPayload & { quantity: number },
    ts: number,
    until: number,
    prev: StockReport | null,
  ): void {
    const counted = (r: { quantity: number; price: number }): Jump => [
      1,
      r.quantity,
      r.quantity * r.price,
      r.price,
    ];
    const mine = counted(e);
    if (!prev) return book.jump(store, e.category, ts, until, mine);
    const before = counted(prev);
    if (prev.category === e.category)
      return book.jump(store, e.category, ts, until, mine.map((x, i) => x - before[i]!) as Jump);
    book.jump(store, prev.category, ts, until, before.map((x) => -x) as Jump);
    book.jump(store, e.category, ts, until, mine);
  }

  /** Applies one event; false when its event id was applied before (nothing changes). */
  function apply(e: InventoryEventPayload, receivedAt: number): boolean {
    const ts = Date.parse(e.event_timestamp);
    // RFC 3339 (so the contract) allows what Date cannot hold, such as a leap second: such a report cannot
    // be placed in any window, and throwing sends it to the dead-letter topic rather than dropping it
    if (!Number.isFinite(ts) || !Number.isFinite(receivedAt)) {
      throw new Error(
        `event ${e.event_id}: event_timestamp '${e.event_timestamp}' or received_at '${e.received_at}' is not a time the processor can place`,
      );
    }
    const { store_location: store, product_id: product, category } = e;
    const s = load(store, product);
    const inOrder = ts > s.lastTs || (ts === s.lastTs && e.event_id > s.lastId);
    const report = {
      quantity: e.quantity ?? null,
      units_sold: e.units_sold ?? null,
      units_received: e.units_received ?? null,
    };
    const mine = inOrder ? attribute(report, s.previous, s.since) : { demand: 0, receipts: 0 };
    const row = {
      event_id: e.event_id,
      store_location: store,
      product_id: product,
      category,
      ts,
      price: e.price,
      ...report,
      demand: mine.demand,
      receipts: mine.receipts,
      received_at: receivedAt,
      processed_at: Date.now(),
    };
    const inserted = q.insert.run(row);
    if (inserted.changes === 0) return false;

    const described = `${category}|${e.description ?? ''}`;
    if (products.get(`${store}|${product}`) !== described) {
      q.upsertProduct.run({ ...row, description: e.description ?? null });
      products.set(`${store}|${product}`, described);
    }

    if (inOrder) {
      addToDay(store, product, category, ts, mine, closingOf(e, ts));
      book.flow(store, category, ts, mine.demand, mine.receipts, 1);
      if (e.quantity !== undefined) jump(store, { ...e, quantity: e.quantity }, ts, Infinity, s.previous);
      if (e.quantity !== undefined) stock.set(`${store}|${product}`, row);
      s.lastTs = ts;
      s.lastId = e.event_id;
      if (e.quantity !== undefined) {
        s.previous = { quantity: e.quantity, price: e.price, category };
        s.since = { demand: 0, receipts: 0 };
      } else s.since = { demand: s.since.demand + mine.demand, receipts: s.since.receipts + mine.receipts };
      return true;
    }
    applyLate(e, ts, Number(inserted.lastInsertRowid));
    return true;
  }

  /** The full path for a report older than the latest one of its product. */
  function applyLate(e: InventoryEventPayload, ts: number, id: number): void {
    const { store_location: store, product_id: product, category } = e;
    const self: Omit<Neighbour, 'price' | 'category'> = {
      id,
      event_id: e.event_id,
      event_timestamp: ts,
      quantity: e.quantity ?? null,
      units_sold: e.units_sold ?? null,
      units_received: e.units_received ?? null,
      demand: 0,
      receipts: 0,
    };
    const prev = q.previousReport.get(store, product, ts, ts, e.event_id) ?? null;
    const mine = q.attributeTo(self, store, product, prev);
    q.setAttributed.run(mine.demand, mine.receipts, id);
    addToDay(store, product, category, ts, mine, closingOf(e, ts));
    book.flow(store, category, ts, mine.demand, mine.receipts, 1);
    const next = q.nextReport.get(store, product, ts, ts, e.event_id);
    if (e.quantity !== undefined) {
      const before = prev && { quantity: prev.quantity!, price: prev.price, category: prev.category };
      jump(store, { ...e, quantity: e.quantity }, ts, next?.event_timestamp ?? Infinity, before);
    }
    if (next && (next.units_sold === null || next.units_received === null)) {
      const theirs = q.attributeTo(next, store, product);
      if (theirs.demand !== next.demand || theirs.receipts !== next.receipts) {
        q.setAttributed.run(theirs.demand, theirs.receipts, next.id);
        const delta = { demand: theirs.demand - next.demand, receipts: theirs.receipts - next.receipts };
        addToDay(store, product, category, next.event_timestamp, delta);
        book.flow(store, category, next.event_timestamp, delta.demand, delta.receipts, 0);
      }
    }
    // the latest stock report of its product, though older than a sales-only report: it is the stock now
    if (e.quantity !== undefined && !next) {
      const { event_id, category: c, quantity, price } = e;
      stock.set(`${store}|${product}`, {
        store_location: store,
        product_id: product,
        category: c,
        quantity,
        price,
        event_id,
        ts,
      });
    }
    // the memory of this series is stale now (its `since` may have changed): reload it when next needed
    series.delete(`${store}|${product}`);
  }
  /** Writes what the batch accumulated (daily demand, stock, windows); call before the commit. */
  function finish(): void {
    for (const d of days.values()) {
      const { store, product, date, category, demand, receipts, closing: c } = d;
      q.addDemand.run({
        date,
        store,
        product,
        category,
        demand,
        receipts,
        quantity: c?.quantity ?? null,
        price: c?.price ?? null,
        at: c?.at ?? null,
        eventId: c?.eventId ?? null,
      });
      q.markDemand.run(store, product, date);
    }
    for (const row of stock.values()) q.upsertStock.run(row);
    book.write();
    days.clear();
    stock.clear();
  }

  /** Drops everything remembered or accumulated (the transaction failed: the store is the truth). */
  function forget(): void {
    series.clear();
    products.clear();
    days.clear();
    stock.clear();
    book.forget();
  }

  return { apply, finish, forget };
}

export type StateRepository = ReturnType<typeof createStateRepository>;
