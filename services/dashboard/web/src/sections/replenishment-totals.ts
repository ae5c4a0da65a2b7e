import { readAll, withParams } from '../api.js';
import { el, fmt } from '../dom.js';

/** A purchase-list row, as the replenishment view reads it. */
export type Order = Record<string, unknown> & {
  store_location: string;
  product_id: string;
  category: string;
  reason: string;
  order_by: string;
  order_quantity: number;
  unit_price: number | null;
  order_value: number | null;
};

/** The API's largest page. */
export const PAGE = 1000;
/** The most rows read to add up the order value per store (5 pages); above it the totals are left out. */
export const MAX_SUMMED = 5000;

export interface Summary {
  q: string;
  total: number;
  /** Per store: rows, their order value, and rows without a known price (not in the value). */
  stores: Map<string, { rows: number; value: number; unpriced: number }>;
  /** False when the list is longer than MAX_SUMMED rows: no totals. */
  complete: boolean;
}

/** Reads the whole list for the search (every store) and adds it up per store; the store choices come with it. */
export async function readTotals(q: string): Promise<Summary> {
  const stores = new Map<string, { rows: number; value: number; unpriced: number }>();
  const { items, total } = await readAll<Order>(
    withParams('/replenishment', { q, sort: 'store_location' }),
    MAX_SUMMED,
    PAGE,
  );
  for (const r of items) {
    const s = stores.get(r.store_location) ?? { rows: 0, value: 0, unpriced: 0 };
    s.rows++;
    if (typeof r.order_value === 'number') s.value += r.order_value;
    else s.unpriced++;
    stores.set(r.store_location, s);
  }
  return { q, total, stores, complete: items.length >= total };
}

/** The order value per store (the chosen one, or every store with a total line), or why it is left out. */
export function drawTotals(totals: HTMLElement, summary: Summary | null, chosen: string): void {
  if (!summary) return void totals.replaceChildren();
  const searched = summary.q ? ` matching “${summary.q}”` : '';
  if (!summary.complete) {
    totals.replaceChildren(
      el('h3', {}, 'Order value per store'),
      el(
        'p',
        { class: 'muted', 'data-totals-omitted': '' },
        `Left out: the list has ${fmt(summary.total)} rows${searched}, more than the ${fmt(MAX_SUMMED)} this ` +
          'page adds up. The purchase list (CSV) has every row.',
      ),
    );
    return;
  }
  const lines = [...summary.stores]
    .filter(([s]) => !chosen || s === chosen)
    .sort((a, b) => a[0].localeCompare(b[0]));
  const all = lines.reduce(
    (sum, [, s]) => ({
      rows: sum.rows + s.rows,
      value: sum.value + s.value,
      unpriced: sum.unpriced + s.unpriced,
    }),
    { rows: 0, value: 0, unpriced: 0 },
  );
  const line = (label: string, s: { rows: number; value: number; unpriced: number }, attrs = {}) =>
    el(
      'tr',
      attrs,
      el('th', { scope: 'row' }, label),
      el('td', { class: 'number' }, fmt(s.rows)),
      el('td', { class: 'number', 'data-order-value': s.value.toFixed(2) }, fmt(s.value, 2)),
      el('td', { class: 'number' }, s.unpriced ? fmt(s.unpriced) : '—'),
    );
  totals.replaceChildren(
    el('h3', {}, `Order value per store${searched}`),
    el(
      'table',
      { class: 'totals' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, 'store'),
          el('th', { scope: 'col' }, 'lines'),
          el('th', { scope: 'col' }, 'order value'),
          el('th', { scope: 'col' }, 'lines without a price'),
        ),
      ),
      el(
        'tbody',
        {},
        ...(lines.length
          ? lines.map(([s, t]) => line(s, t, { 'data-store': s }))
          : [el('tr', {}, el('td', { colspan: 4 }, 'Nothing to order'))]),
      ),
      lines.length > 1 ? el('tfoot', {}, line('all stores', all, { 'data-store': '' })) : null,
    ),
  );
}
