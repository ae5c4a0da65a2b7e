import { on, throttle, withParams } from '../api.js';
import { dataTable } from '../data-table.js';
import { el, fmt } from '../dom.js';
import { productHref, route, setParams } from '../url-state.js';
import { drawTotals, PAGE, readTotals, type Order, type Summary } from './replenishment-totals.js';

const NAME = 'replenishment';

const REASONS: Record<string, string> = {
  reorder_point: 'at or below reorder point',
  stockout: 'stock-out before next delivery',
};

const today = () => new Date().toISOString().slice(0, 10);

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
    source: () => withParams('/replenishment', { store: chosenStore() }),
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
    exportLink.href = `/api${withParams('/replenishment', {
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
  const sum = async (q: string) => {
    const mine = ++summing;
    const read = await readTotals(q);
    if (mine === summing) summary = read;
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
      drawTotals(totals, summary, chosenStore());
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
    drawTotals(totals, summary, chosenStore());
    void loadTable();
  });

  const refresh = async () => {
    syncExport();
    drawChoices();
    drawTotals(totals, summary, chosenStore());
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
