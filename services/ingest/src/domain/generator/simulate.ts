import type { AcceptedRecord } from '../record.js';
import { buildCatalog, profileOf, type Catalog, type Product, type Store } from './catalog.js';
import { Random } from './random.js';

export interface GeneratorParams {
  days: number;
  stores: number;
  products: number;
  categories: number;
  seed: number;
  /** First day after the history (UTC, `YYYY-MM-DD`): the history covers the `days` days before it. */
  end: string;
}

export type GeneratedEvent = Omit<AcceptedRecord, 'event_id'>;

const DAY_MS = 86_400_000;

interface Series {
  product: Product;
  store: Store;
  stock: number;
  orders: { quantity: number; dueMs: number }[];
  reorderPoint: number;
  orderUpTo: number;
  lastObservedMs: number;
}

interface ProductState {
  priceFactor: number;
  promoUntilMs: number;
  promoLift: number;
}

/**
 * A seeded simulation of stores selling products, one stock report per product × store per day: demand
 * with trend, weekly and yearly seasonality, promotions (price down, demand up), permanent price changes,
 * slow intermittent movers, stock-outs, and replenishment by a reorder-point policy with lead times.
 * The same parameters always give the same events. After the history it keeps going in real time (`observe`).
 */
export class Simulation {
  readonly catalog: Catalog;
  readonly series: Series[];
  private readonly rng: Random;
  private readonly products = new Map<string, ProductState>();
  readonly startMs: number;

  constructor(readonly params: GeneratorParams) {
    this.rng = new Random(params.seed);
    this.catalog = buildCatalog(this.rng, params);
    this.startMs = Date.parse(`${params.end}T00:00:00Z`) - params.days * DAY_MS;
    for (const p of this.catalog.products)
      this.products.set(p.id, { priceFactor: 1, promoUntilMs: 0, promoLift: 1 });
    this.series = this.catalog.stores.flatMap((store) =>
      this.catalog.products.map((product) => {
        const mean = product.baseDemand * store.size;
        const reorderPoint =
          Math.ceil(mean * (product.leadTimeDays + 3) + 1.65 * Math.sqrt(mean * product.leadTimeDays)) + 1;
        const orderUpTo = reorderPoint + Math.ceil(mean * 14) + 2;
        return {
          product,
          store,
          stock: orderUpTo,
          orders: [],
          reorderPoint,
          orderUpTo,
          lastObservedMs: this.startMs,
        };
      }),
    );
  }

  /** The events of history day `day` (0 = the first), one per product × store, in a fixed order. */
  day(day: number): GeneratedEvent[] {
    const dayStart = this.startMs + day * DAY_MS;
    this.evolveProducts(dayStart);
    return this.series.map((s) => {
      const at = dayStart + s.store.reportHour * 3_600_000 + this.rng.int(0, 59) * 60_000;
      return this.observe(s, at);
    });
  }

  /** Advances one series to `atMs` (sales and receipts since its last report) and reports its stock. */
  observe(s: Series, atMs: number): GeneratedEvent {
    const elapsedDays = Math.max(0, (atMs - s.lastObservedMs) / DAY_MS);
    s.lastObservedMs = atMs;
    let received = 0;
    s.orders = s.orders.filter((o) => {
      if (o.dueMs > atMs) return true;
      received += o.quantity;
      return false;
    });
    s.stock += received;
    const state = this.products.get(s.product.id)!;
    const promo = atMs < state.promoUntilMs;
    const demand = this.demand(s, atMs, elapsedDays, promo ? state.promoLift : 1);
    const sold = Math.min(s.stock, demand);
    s.stock -= sold;
    const onOrder = s.orders.reduce((sum, o) => sum + o.quantity, 0);
    if (s.stock + onOrder <= s.reorderPoint) {
      s.orders.push({
        quantity: s.orderUpTo - s.stock - onOrder,
        dueMs: atMs + s.product.leadTimeDays * DAY_MS,
      });
    }
    const price = s.product.basePrice * state.priceFactor * (promo ? 0.8 : 1);
    return {
      product_id: s.product.id,
      store_location: s.store.name,
      category: s.product.category,
      description: s.product.description,
      quantity: s.stock,
      units_sold: sold,
      ...(received > 0 ? { units_received: received } : {}),
      price: Math.round(price * 100) / 100,
      event_timestamp: new Date(atMs).toISOString(),
    };
  }

  private demand(s: Series, atMs: number, days: number, lift: number): number {
    const { product, store } = s;
    const profile = profileOf(product.category);
    const date = new Date(atMs);
    const dayOfYear = (atMs - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS;
    const season =
      1 + profile.seasonality * 0.5 * Math.cos((2 * Math.PI * (dayOfYear - profile.peakDay)) / 365.25);
    const trend = Math.max(0.2, 1 + product.trend * ((atMs - this.startMs) / DAY_MS));
    const mean =
      product.baseDemand * store.size * profile.weekly[date.getUTCDay()]! * season * trend * lift * days;
    if (!product.intermittent) return this.rng.poisson(mean);
    // slow movers: a sale on few days, of a few units (mean preserved: p × 3 ≈ mean)
    return this.rng.chance(Math.min(0.95, mean / 3)) ? 1 + this.rng.poisson(2) : 0;
  }

  /** Once a day per product: maybe a permanent price change, maybe a promotion of 3 to 7 days. */
  private evolveProducts(dayStart: number): void {
    for (const product of this.catalog.products) {
      const state = this.products.get(product.id)!;
      if (this.rng.chance(1 / 60))
        state.priceFactor *= 1 + this.rng.pick([-1, 1]) * this.rng.between(0.03, 0.12);
      if (dayStart >= state.promoUntilMs && this.rng.chance(1 / 45)) {
        state.promoUntilMs = dayStart + this.rng.int(3, 7) * DAY_MS;
        state.promoLift = this.rng.between(1.6, 2.2);
      }
    }
  }
}
