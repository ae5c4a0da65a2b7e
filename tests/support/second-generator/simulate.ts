import type { Category } from './catalogue.js';
import { createRandom, streamSeed, type Random } from './random.js';

/** One daily report, as posted to ingest (INTERFACE.md, "Inventory event"). */
export interface InventoryEvent {
  event_id: string;
  product_id: string;
  store_location: string;
  category: string;
  description: string;
  /** Stock on hand after the day's deliveries and sales. */
  quantity: number;
  units_sold: number;
  /** Present only on the day a delivery arrived (absent means nothing was received). */
  units_received?: number;
  price: number;
  event_timestamp: string;
}

export interface Store {
  index: number;
  name: string;
  /** Demand multiplier of the store's size: 0.5 (small), 1 (medium), 2.5 (large). */
  scale: number;
  /** When the store closes and reports, in minutes after 00:00Z. */
  closeMinute: number;
}

export interface Product {
  id: string;
  category: Category;
  description: string;
  /** Mean daily sales at a medium store, before weekday, season, trend, promotions and noise. */
  rate: number;
  /** Demand growth per year as a log rate: ±0.2 is about ±20 %/year. */
  trend: number;
  /** Chain-wide shelf price and promotion discount per simulated day (promotions are national). */
  price: Float64Array;
  discount: Float64Array;
}

/** A clean report with what the injector needs to keep an anomaly's meaning exact. */
export interface DayReport {
  series: number;
  /** Seconds after 00:00Z: the order of the day's reports across stores. */
  at: number;
  event: InventoryEvent;
  /** The series' previous day, absent on the first day. */
  previous?: { quantity: number; price: number };
}

export interface Day {
  /** `2026-06-01T`, `20260601`: the day's part of timestamps and event ids. */
  stamp: string;
  compact: string;
  dayOfWeek: number;
  dayOfYear: number;
}

/** One store × product: its own random stream, its restocking policy and its state. */
interface Series {
  rng: Random;
  store: Store;
  product: Product;
  /** Product rate × store size × local taste. */
  rate: number;
  idPrefix: string;
  /** (s, S) policy: order up to `orderUpTo` when stock falls to `reorderAt`; it arrives `lead` days later. */
  reorderAt: number;
  orderUpTo: number;
  lead: number;
  stock: number;
  /** Day an ordered delivery arrives (−1: nothing on order) and its size. */
  due: number;
  dueUnits: number;
}

function createSeries(seed: number, store: Store, product: Product): Series {
  const rng = createRandom(streamSeed(seed, 'series', store.index, product.id));
  const rate = product.rate * store.scale * Math.exp(rng.normal(0, 0.25));
  const lead = rng.int(1, 4);
  // safety stock of 0.5–2 standard deviations of lead-time demand, and never reordering at an empty shelf
  // (stores keep a facing): fast movers still run out on a busy Saturday or a promotion now and then
  const reorderAt = Math.max(1, Math.round(rate * lead + rng.uniform(0.5, 2) * Math.sqrt(rate * lead)));
  const orderUpTo = reorderAt + Math.max(2, Math.round(rate * rng.int(5, 14)));
  const stock = rng.int(reorderAt + 1, orderUpTo);
  const idPrefix = `sg-${seed}-s${String(store.index).padStart(2, '0')}-${product.id}-`;
  return { rng, store, product, rate, idPrefix, reorderAt, orderUpTo, lead, stock, due: -1, dueUnits: 0 };
}

const clocks: string[] = [];
/** `20:41:07Z` for 20:41:07 UTC, made once per second of the day and shared by every report at that time. */
const clock = (at: number) =>
  (clocks[at] ??=
    `${[at / 3600, (at / 60) % 60, at % 60].map((n) => String(Math.floor(n)).padStart(2, '0')).join(':')}Z`);

/** Customers' wish for the product on day `d`; the shelf may hold less (see `step`). */
function demand(x: Series, d: number, day: Day): number {
  const { weekday, demand: shape } = x.product.category;
  const discount = x.product.discount[d]!;
  const season = 1 + shape.amplitude * Math.cos((2 * Math.PI * (day.dayOfYear - shape.peak)) / 365);
  const promo = discount > 0 ? (1 / (1 - discount)) ** shape.elasticity : 1;
  const mean = x.rate * weekday[day.dayOfWeek]! * season * Math.exp((x.product.trend * d) / 365) * promo;
  // slow movers sell in rare baskets of one or two: intermittent, many zero days in a row
  if (x.rate < 0.5) return x.rng.bernoulli(Math.min(1, mean / 1.3)) ? 1 + Number(x.rng.bernoulli(0.3)) : 0;
  // negative binomial as a gamma-mixed Poisson: busy and quiet days beyond what Poisson noise gives
  return x.rng.poisson((mean * x.rng.gamma(shape.dispersion)) / shape.dispersion);
}

/** Morning delivery, the day's sales (capped by the shelf), and an evening order when stock is at s. */
function step(x: Series, d: number, day: Day, series: number): DayReport {
  const before = x.stock;
  const received = x.due === d ? x.dueUnits : 0;
  if (received > 0) x.due = -1;
  x.stock += received;
  const sold = Math.min(demand(x, d, day), x.stock);
  x.stock -= sold;
  if (x.due < 0 && x.stock <= x.reorderAt) {
    x.due = d + x.lead;
    x.dueUnits = x.orderUpTo - x.stock;
  }
  const at = x.store.closeMinute * 60 + x.rng.int(0, 6 * 60 + 59);
  const { product, store } = x;
  // two-part strings over shared pieces: a few bytes per event, as millions of events may be kept in memory
  const event: InventoryEvent = {
    event_id: x.idPrefix + day.compact,
    product_id: product.id,
    store_location: store.name,
    category: product.category.name,
    description: product.description,
    quantity: x.stock,
    units_sold: sold,
    price: product.price[d]!,
    event_timestamp: day.stamp + clock(at),
  };
  if (received > 0) event.units_received = received;
  if (d === 0) return { series, at, event };
  return { series, at, event, previous: { quantity: before, price: product.price[d - 1]! } };
}

/**
 * The clean world, one day at a time: `(d, day)` gives day d's reports (0-based), one per store × product, in
 * series order (stores outer, products inner). Only the series' state is kept, not their history, so memory
 * grows with the output alone.
 */
export function createSimulation(seed: number, stores: readonly Store[], products: readonly Product[]) {
  const series = stores.flatMap((s) => products.map((p) => createSeries(seed, s, p)));
  return (d: number, day: Day): DayReport[] => series.map((x, i) => step(x, d, day, i));
}
