import type { SqliteDatabase } from '@stockpulse/service-kit';
import { PointSums } from '../domain/point-sums.js';
import { DEMAND_DAYS, WINDOW_KINDS, WINDOW_MS, windowStart, type WindowKind } from '../domain/windows.js';
import { createWindowStore, MOVING, type StoredWindow } from './window-store.js';

/** A change in a product's closing stock: product count, quantity, stock value, Σ price. */
export type Jump = [number, number, number, number];

const WEEK = DEMAND_DAYS * WINDOW_MS.day;

/** What one batch changed in one store × category: points in time, not windows. */
class GroupChanges {
  /** Closing-stock jumps at each report's time… */
  readonly jumps = new PointSums(4);
  /** …each undone where the next report of its product takes over (none when there is none yet). */
  readonly ends = new PointSums(4);
  /** Units sold, units received, events, at each event's time. */
  readonly flows = new PointSums(3);
  /** The latest time a change reaches (Infinity when a jump has no end). */
  reach = -Infinity;
  /** Window starts of the batch's events, per kind: windows that must exist. */
  readonly own = new Map<WindowKind, Set<number>>(WINDOW_KINDS.map((k) => [k, new Set()]));

  constructor(
    readonly store: string,
    readonly category: string,
  ) {}

  get from(): number {
    return Math.min(this.jumps.first, this.flows.first);
  }

  /** The change in closing stock at `at` (window ends after a jump, up to and including its end). */
  closing(at: number): number[] {
    const a = this.jumps.before(at);
    const b = this.ends.before(at);
    return a.map((x, i) => x - b[i]!);
  }
}

/**
 * Window metrics kept incrementally. A batch records what its events change as points in time — a stock
 * report's jump in its group's closing stock (from its time to the next report of its product), units sold
 * and received at each event — and `write()` applies them, in the batch's transaction, to every stored window
 * they reach, in one ordered pass per store × category × kind: O(windows reached + changes × log changes),
 * whatever the batch's order and however long the history. The figures are those a recomputation from the
 * stored reports gives (the tests compare with one). Changed windows are marked dirty for the flusher.
 */
export function createWindowBook(db: SqliteDatabase) {
  const store = createWindowStore(db);
  const groups = new Map<string, GroupChanges>();
  const group = (s: string, c: string) => {
    const key = `${s}\u0000${c}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = new GroupChanges(s, c)));
    return g;
  };

  /** Applies a group's changes to its windows of one kind; returns the starts of windows it created. */
  function applyGroup(g: GroupChanges, kind: WindowKind): number[] {
    const len = WINDOW_MS[kind];
    const stored = store.range(g.store, g.category, kind, g.from, g.reach);
    const known = new Set(stored.map((w) => w.window_start));
    const created = [...g.own.get(kind)!].filter((s) => !known.has(s));
    const rows = [
      ...stored.map((w) => ({ row: w, fresh: false })),
      ...created.map((s) => ({ row: store.empty(g.store, g.category, kind, s), fresh: true })),
    ].sort((a, b) => a.row.window_start - b.row.window_start);
    const earlier = store.earlier(g.store, g.category, kind, rows[0]?.row.window_start ?? Infinity);
    const followers = Number.isFinite(g.reach) ? store.after(g.store, g.category, kind, g.reach) : [];
    rows.push(...followers.map((w) => ({ row: w, fresh: false })));
    // a new window starts from the closing state of the window before it, as stored before this batch
    let previous: StoredWindow | undefined = earlier[0];
    const values = earlier.map((w) => w.total_stock_value).reverse();
    for (const { row, fresh } of rows) {
      const start = row.window_start;
      const end = start + len;
      const old = { ...row };
      if (fresh) {
        row.product_count = previous?.product_count ?? 0;
        row.total_quantity = row.opening_quantity = previous?.total_quantity ?? 0;
        row.total_stock_value = previous?.total_stock_value ?? 0;
        row.sum_price = previous?.sum_price ?? 0;
        // the week before its end as stored (this batch's part is added below, as for every window)
        row.demand_7d =
          store.demandBetween(g.store, g.category, end - WEEK, end) - g.flows.between(end - WEEK, end)[0]!;
      } else previous = old;
      const c = g.closing(end);
      row.product_count += c[0]!;
      row.total_quantity += c[1]!;
      row.total_stock_value += c[2]!;
      row.sum_price += c[3]!;
      row.opening_quantity += g.closing(start)[1]!;
      const f = g.flows.between(start, end);
      row.units_sold += f[0]!;
      row.units_received += f[1]!;
      row.event_count += f[2]!;
      row.demand_7d += g.flows.between(end - WEEK, end)[0]!;
      values.push(row.total_stock_value);
      row.moving_avg_stock_value = store.movingAverage(values.slice(-(MOVING + 1)));
      if (fresh || store.differs(old, row)) store.save(row);
    }
    return created;
  }

  /** The category's value across stores at each moment: the same jumps, summed over its stores. */
  function applyCategory(category: string, kind: WindowKind, members: GroupChanges[], created: Set<number>) {
    const len = WINDOW_MS[kind];
    const from = Math.min(...members.map((g) => g.from));
    const reach = Math.max(...members.map((g) => g.reach));
    const stored = store.categoryRange(category, kind, from, reach);
    const known = new Set(stored.map((m) => m.window_start));
    const rows = [
      ...stored.map((m) => ({ ...m, fresh: false })),
      ...[...created]
        .filter((s) => !known.has(s))
        .map((s) => ({ window_start: s, stock_value: 0, fresh: true })),
    ].sort((a, b) => a.window_start - b.window_start);
    let previous = store.categoryBefore(category, kind, rows[0]?.window_start ?? Infinity);
    for (const m of rows) {
      const old = m.stock_value;
      if (m.fresh) m.stock_value = previous;
      else previous = old;
      for (const g of members) m.stock_value += g.closing(m.window_start + len)[2]!;
      if (m.fresh || m.stock_value !== old) store.saveCategory(category, kind, m.window_start, m.stock_value);
    }
  }

  return {
    /** A stock report's jump in its group's closing stock at `at`, for window ends up to `until`. */
    jump(s: string, category: string, at: number, until: number, v: Jump): void {
      const g = group(s, category);
      g.jumps.add(at, v);
      if (Number.isFinite(until)) g.ends.add(until, v);
      g.reach = Math.max(g.reach, until);
    },
    /** Units sold and received at `at`, and events (1 for an event, 0 for a re-attributed report). */
    flow(s: string, category: string, at: number, sold: number, received: number, events: number): void {
      const g = group(s, category);
      g.flows.add(at, [sold, received, events]);
      g.reach = Math.max(g.reach, at + WEEK);
      if (events) for (const kind of WINDOW_KINDS) g.own.get(kind)!.add(windowStart(kind, at));
    },
    /** Applies what the batch recorded to the stored windows, inside the batch's transaction. */
    write(): void {
      const byCategory = new Map<string, GroupChanges[]>();
      for (const g of groups.values()) byCategory.set(g.category, [...(byCategory.get(g.category) ?? []), g]);
      for (const [category, members] of byCategory) {
        for (const kind of WINDOW_KINDS) {
          const created = new Set(members.flatMap((g) => applyGroup(g, kind)));
          applyCategory(category, kind, members, created);
        }
      }
      groups.clear();
    },
    forget: () => groups.clear(),
  };
}

export type WindowBook = ReturnType<typeof createWindowBook>;
