import type { Page } from './fanout.js';

export interface Value {
  category: string;
  window_start: string;
  stock_value: number;
}

/** A replica's value of a category at a window start: its latest at or before it (0 when it has none). */
function valueAt(values: readonly Value[], category: string, start: string): number {
  let found = 0;
  for (const v of values) if (v.category === category && v.window_start <= start) found = v.stock_value;
  return found;
}

/**
 * `stock_value_by_category` over every store, for windows merged from several replicas: the sum of each
 * replica's part (processor's `/api/metrics/category-values`), each part holding until its next change.
 */
export async function withCategoryTotals(
  page: Page,
  partsOf: (from: string, to: string) => Promise<Value[][]>,
): Promise<Page> {
  if (!page.items.length) return page;
  const starts = page.items.map((i) => String(i.window_start)).sort();
  const parts = (await partsOf(starts[0]!, starts.at(-1)!)).map((values) =>
    [...values].sort((a, b) => a.window_start.localeCompare(b.window_start)),
  );
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const items = page.items.map((item) => {
    const category = String(item.category);
    const start = String(item.window_start);
    return {
      ...item,
      stock_value_by_category: round(parts.reduce((sum, v) => sum + valueAt(v, category, start), 0)),
    };
  });
  return { ...page, items };
}
