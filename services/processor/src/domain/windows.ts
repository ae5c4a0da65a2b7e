export type WindowKind = 'hour' | 'day';

export const WINDOW_MS: Record<WindowKind, number> = { hour: 3_600_000, day: 86_400_000 };
export const WINDOW_KINDS: WindowKind[] = ['hour', 'day'];
export const DEMAND_DAYS = 7;
export const MOVING_AVERAGE_WINDOWS = 5;

/** Windows are aligned to UTC: an hour starts at :00 UTC, a day at 00:00 UTC. */
export const windowStart = (kind: WindowKind, ms: number) =>
  Math.floor(ms / WINDOW_MS[kind]) * WINDOW_MS[kind];

export const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Units sold ÷ average units on hand over the window ((opening + closing) / 2); null without stock. */
export function turnoverRate(unitsSold: number, opening: number, closing: number): number | null {
  const average = (opening + closing) / 2;
  return average > 0 ? round(unitsSold / average, 4) : null;
}

/** Closing stock ÷ average daily demand of the last 7 days; null when nothing sold (cover is unbounded). */
export function daysOfCover(closing: number, demandLast7Days: number): number | null {
  if (demandLast7Days <= 0) return null;
  return round(Math.max(0, closing) / (demandLast7Days / DEMAND_DAYS), 2);
}

/**
 * A window's average price from its Σ price, rounded first: its last bits depend on the order it was added up
 * in (batches, replicas), and a mean of cents over 8 products often falls on a half at the fourth decimal.
 */
export const avgPrice = (sumPrice: number, products: number) =>
  products > 0 ? round(round(sumPrice, 6) / products, 4) : 0;

/** A product's stock value as listed: quantity × price, to the cent. */
export const stockValue = (quantity: number, price: number) => round(quantity * price, 2);

export const round = (value: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
