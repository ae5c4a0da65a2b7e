/** What a stock report says, and what the report before it said. */
export interface Report {
  quantity: number | null;
  units_sold: number | null;
  units_received: number | null;
}

export interface Attributed {
  /** Units sold attributed to this report. */
  demand: number;
  /** Units received attributed to this report. */
  receipts: number;
}

/**
 * Demand and receipts of one report. Explicit `units_sold` / `units_received` are taken as sent. Otherwise
 * they come from the change in stock since the previous report of the same product at the same store,
 * after the sales-only reports in between (`between`): a decrease is demand, an increase is a receipt —
 * never negative demand. The first report of a product has no change to read.
 */
export function attribute(
  report: Report,
  previous: { quantity: number } | null,
  between: Attributed,
): Attributed {
  const sold = report.units_sold;
  const received = report.units_received;
  if (report.quantity === null || previous === null) return { demand: sold ?? 0, receipts: received ?? 0 };
  const expected = previous.quantity - between.demand + between.receipts;
  if (sold !== null)
    return { demand: sold, receipts: received ?? Math.max(0, report.quantity - (expected - sold)) };
  if (received !== null)
    return { demand: Math.max(0, expected + received - report.quantity), receipts: received };
  const change = report.quantity - expected;
  return { demand: Math.max(0, -change), receipts: Math.max(0, change) };
}
