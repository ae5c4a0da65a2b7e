import { api, on, throttle, type List } from '../api.js';
import { dataTable } from '../data-table.js';
import { el, fmt } from '../dom.js';
import { productHref, route, setParams } from '../url-state.js';

type Order = Record<string, unknown> & {
  store_location: string;
  product_id: string;
  category: string;
  reason: string;
  order_by: string;
  order_quantity: number;
  unit_price: number | null;
  order_value: number | null;
};

const NAME = 'replenishment';
/** The API's largest page. */
const PAGE = 1000;
/** The most rows read to add up the order value per store (5 pages); above it the totals are left out. */
const MAX_SUMMED = 5000;

const REASONS: Record<string, string> = {
  reorder_point: 'at or below reorder point',
  stockout: 'stock-out before next delivery',
};

const enc = encodeURIComponent;
const today = () => new Date().toISOString().slice(0, 10);
const query = (params: Record<string, string>) =>
  Object.entries(params)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${enc(v)}`)
    .join('&');

interface Summary {
  q: string;
  total: number;
  /** Per store: rows, their order value, and rows without a known price (not in the value). */
  stores: Map<string, { rows: number; value: number; unpriced: number }>;
  /** False when the list is longer than MAX_SUMMED rows: no totals. */
  complete: boolean;
}

/**
 * The purchase list (`GET /api/replenishment`): per store, what to order and by when — a store choice (in the
 * URL as `store`), the list as a server-paged, sorted, searchable table (each product a link to its page), the
 * order value per store for the search, and the purchase list as CSV exactly as filtered and sorted. The totals
 * are added up here from the list itself (the API has none), read in pages of 1,000 up to 5,000 rows and only
 * when the search changes or a forecast arrives; over 5,000 rows they are left out and the page says so.
 */
export function replenishment(root: HTMLElement): () => Promise<void> {
  const store = el(
    'select',
    { name: 'replenishment-store', 'data-store-select': '' },
    el('option', { value: '' }, 'All stores'),
  );
  const exportLink = el(
    'a',
    {
      href: '/api/replenishment?format=csv',
      download: 'purchase-list.csv',
      'data-export': 'purchase-list',
    },
    'Export purchase list (CSV)',
  );
  const totals = el('div', { class: 'panel', 'data-totals': '' });
  const status = el('div');
  const tableStatus = el('div');
  const chosenStore = () => route().params.get('store') ?? '';

  const table = dataTable<Order>({
    name: NAME,
    source: () => `/replenishment?${query({ store: chosenStore() })}`,
    search: true,
    maxLimit: PAGE,
    columns: [
      { key: 'store_location', label: 'store' },
      {
        key: 'product_id',
        label: 'product',
        render: (r) => el('a', { href: productHref(r.store_location, r.product_id) }, r.product_id),
      },
      { key: 'category', label: 'category' },
      {
        key: 'reason',
        label: 'reason',
        render: (r) => el('span', { 'data-reason': r.reason }, REASONS[r.reason] ?? r.reason),
      },
      {
        key: 'order_by',
        label: 'order by',
        render: (r) =>
          r.order_by <= today()
            ? el('strong', { class: 'due', 'data-due': '' }, `${r.order_by} (today)`)
            : r.order_by,
      },
      { key: 'order_quantity', label: 'quantity', render: (r) => fmt(r.order_quantity) },
      { key: 'unit_price', label: 'unit price', render: (r) => fmt(r.unit_price, 2) },
      { key: 'order_value', label: 'order value', render: (r) => fmt(r.order_value, 2) },
      { key: 'quantity_on_hand', label: 'on hand', render: (r) => fmt(r.quantity_on_hand) },
      { key: 'reorder_point', label: 'reorder point', render: (r) => fmt(r.reorder_point, 1) },
      { key: 'safety_stock', label: 'safety stock', render: (r) => fmt(r.safety_stock, 1) },
      {
        key: 'lead_time_demand',
        label: 'lead-time demand',
        render: (r) => fmt(r.lead_time_demand, 1),
      },
      {
        key: 'stockout_date',
        label: 'stock-out',
        render: (r) => (r.stockout_date === null ? 'not projected' : fmt(r.stockout_date)),
      },
    ],
  });

  root.replaceChildren(
    el('h2', {}, 'Replenishment'),
    el(
      'p',
      { class: 'muted' },
      'What to order and by when, per store: every product whose stock is at or below its reorder point, or ' +
        'projected to run out before an order placed at the next review could arrive.',
    ),
    el('div', { class: 'toolbar' }, el('label', {}, 'Store ', store), exportLink),
    status,
    totals,
    el('div', { class: 'panel' }, el('h3', {}, 'Purchase list'), tableStatus, table.root),
  );

  /** The export: the whole list as filtered and sorted now (the table's sort and search are in the URL). */
  const syncExport = () => {
    const p = route().params;
    exportLink.href = `/api/replenishment?${query({
      format: 'csv',
      store: chosenStore(),
      sort: p.get(`${NAME}.sort`) ?? '',
      q: p.get(`${NAME}.q`) ?? '',
    })}`;
  };
  // the click itself reads the URL again (a search typed a moment ago may not have redrawn the table yet)
  exportLink.addEventListener('click', syncExport);

  let summary: Summary | null = null;
  let summing = 0;
  /** Reads the whole list for the search (every store) and adds it up per store; the store choices come with it. */
  const sum = async (q: string) => {
    const mine = ++summing;
    const stores = new Map<string, { rows: number; value: number; unpriced: number }>();
    let total = 0;
    let read = 0;
    for (let offset = 0; offset < MAX_SUMMED; offset += PAGE) {
      const page = await api<List<Order>>(
        `/replenishment?${query({ q, limit: String(PAGE), offset: String(offset), sort: 'store_location' })}`,
      );
      if (mine !== summing) return;
      total = page.total;
      for (const r of page.items) {
        const s = stores.get(r.store_location) ?? { rows: 0, value: 0, unpriced: 0 };
        s.rows++;
        if (typeof r.order_value === 'number') s.value += r.order_value;
        else s.unpriced++;
        stores.set(r.store_location, s);
      }
      read += page.items.length;
      if (page.items.length < PAGE || read >= total) break;
    }
    summary = { q, total, stores, complete: read >= total };
  };

  const drawChoices = () => {
    const chosen = chosenStore();
    const known = new Set([...(summary?.stores.keys() ?? [])]);
    // a search narrows the list: the stores seen before stay choices
    for (const option of [...store.options].slice(1)) known.add(option.value);
    if (chosen) known.add(chosen);
    store.replaceChildren(store.options[0]!, ...[...known].sort().map((s) => el('option', { value: s }, s)));
    store.value = chosen;
  };

  const drawTotals = () => {
    if (!summary) return totals.replaceChildren();
    const chosen = chosenStore();
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
  };

  /** After the table redraws (its sort, search or page changed): the export, and the totals for a new search. */
  let summingFor: string | null = null;
  const resum = async (force = false) => {
    const q = route().params.get(`${NAME}.q`) ?? '';
    if (!force && (summingFor === q || summary?.q === q)) return;
    summingFor = q;
    try {
      await sum(q);
      if (summingFor !== q) return;
      status.replaceChildren();
      drawChoices();
      drawTotals();
    } catch (err) {
      if (summingFor === q)
        status.replaceChildren(
          el(
            'p',
            { class: 'warning', role: 'alert' },
            `Could not add up the order values: ${(err as Error).message}`,
          ),
        );
    } finally {
      if (summingFor === q) summingFor = null;
    }
  };
  new MutationObserver(() => {
    if (route().name !== NAME) return;
    syncExport();
    void resum();
  }).observe(table.root, { childList: true });

  /** The table for the URL's store, sort, search and page; a failure is said above it, not thrown. */
  const loadTable = async () => {
    try {
      await table.refresh();
      tableStatus.replaceChildren();
    } catch (err) {
      tableStatus.replaceChildren(
        el('p', { class: 'warning', role: 'alert' }, `Could not load the list: ${(err as Error).message}`),
      );
    }
  };
  store.addEventListener('change', () => {
    setParams({ store: store.value, [`${NAME}.page`]: null });
    syncExport();
    drawTotals();
    void loadTable();
  });

  const refresh = async () => {
    syncExport();
    drawChoices();
    drawTotals();
    await Promise.all([loadTable(), resum(true)]);
  };
  // new forecasts change the advice the list is made of
  on(
    'forecast',
    throttle(() => {
      if (!root.hidden && route().name === NAME) void refresh();
    }, 10_000),
  );
  return refresh;
}
