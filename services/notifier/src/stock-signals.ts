import type { ConditionsRepository } from './db/conditions.repository.js';
import { digestCause, digestOf, hasHeld, type Pending } from './domain/digest.js';
import type { Signal } from './domain/signals.js';
import type { Notifications } from './notifications.js';

export interface StockSignalOptions {
  /** `store`: one digest per store and type, listing its products; `product`: one notification per product. */
  digest: 'store' | 'product';
  pending: Pending;
}

/**
 * The stock signals of product forecasts (low stock, expected stock-outs): each held as a condition until it
 * has held for the pending period, then notified — in its store's digest, or on its own — and released when a
 * later forecast says it no longer holds (a flapping condition starts its pending period again).
 */
export class StockSignals {
  constructor(
    private readonly conditions: ConditionsRepository,
    private readonly notifications: Notifications,
    private readonly options: StockSignalOptions,
  ) {}

  hold(signal: Signal): void {
    const condition = this.conditions.observe(signal);
    if (!condition.fired) {
      if (!hasHeld(condition, this.options.pending)) return;
      this.conditions.fire(condition.cause);
    }
    if (this.options.digest === 'product') this.notifications.raise(signal);
    else this.redigest(signal.type, signal.store_location);
  }

  release(cause: string): void {
    const condition = this.conditions.drop(cause);
    if (!condition?.fired) return;
    if (this.options.digest === 'product') this.notifications.clear(cause);
    else this.redigest(condition.type, condition.store_location);
  }

  private redigest(type: string, store: string): void {
    const members = this.conditions.fired(store, type);
    if (members.length) this.notifications.digest(digestOf(type, store, members));
    else this.notifications.clear(digestCause(type, store));
  }
}
