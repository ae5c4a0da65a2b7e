import { api, on, throttle, type List } from '../api.js';
import { chart, timeChart } from '../charts.js';
import { dataTable } from '../data-table.js';
import { el, fmt } from '../dom.js';
import type { Filters } from '../filters.js';
import { productHref, route, setParams } from '../url-state.js';

type Window = {
  store_location: string;
  category: string;
  window_start: string;
  total_stock_value: number;
  turnover_rate: number | null;
  moving_avg_stock_value: number;
};
type Stock = {
  product_id: string;
  store_location: string;
  category: string;
  quantity: number;
  price: number;
  description: string | null;
};

/**
 * Stock value by store, category × store heatmap (click a cell for its products, a product for its events),
 * turnover per store over time, quantity vs price by category, stock value moving average; all under the
 * shared filters.
 */
export function metrics(root: HTMLElement, filters: Filters): () => Promise<void> {
  const panel = () => el('div', { class: 'panel' });
  const [byStore, heat, turnover, scatter, moving, drill] = [
    panel(),
    panel(),
    panel(),
    panel(),
    panel(),
    panel(),
  ];
  root.replaceChildren(
    el('h2', {}, 'Metrics'),
    el('div', { class: 'grid' }, byStore, heat, turnover, scatter, moving),
    drill,
  );

  // the products of the heatmap cell named in the URL (`cell=<store>|<category>`); a product opens its page
  const cell = () => (route().params.get('cell') ?? '|').split('|') as [string, string];
  const products = dataTable<Stock>({
    name: 'drill-products',
    source: () => {
      const [store, category] = cell();
      return `/inventory?store=${encodeURIComponent(store)}&category=${encodeURIComponent(category)}`;
    },
    search: true,
    columns: [
      {
        key: 'product_id',
        label: 'product',
        render: (p) => el('a', { href: productHref(p.store_location, p.product_id) }, p.product_id),
      },
      ...['description', 'quantity', 'price'].map((key) => ({ key, label: key })),
    ],
    onRow: (p) => (location.hash = productHref(p.store_location, p.product_id)),
  });
  const showProducts = async () => {
    const [store, category] = cell();
    if (!store) return void drill.replaceChildren();
    drill.replaceChildren(
      el('h3', {}, `${category} at ${store}: products (click one for its page)`),
      products.root,
    );
    await products.refresh();
  };

  const refresh = async () => {
    const q = filters.query();
    const [days, stock] = await Promise.all([
      api<List<Window>>(`/metrics?window=day&limit=10000${q}`),
      api<List<Stock>>(`/inventory?limit=10000${filters.query(['store', 'category'])}`),
    ]);
    const latest = new Map<string, Window>();
    for (const w of days.items) {
      const key = `${w.store_location}|${w.category}`;
      if (!latest.has(key) || latest.get(key)!.window_start < w.window_start) latest.set(key, w);
    }
    const stores = [...new Set([...latest.values()].map((w) => w.store_location))].sort();
    const categories = [...new Set([...latest.values()].map((w) => w.category))].sort();
    const valueOf = (s: string, c?: string) =>
      [...latest.values()]
        .filter((w) => w.store_location === s && (!c || w.category === c))
        .reduce((a, w) => a + w.total_stock_value, 0);

    chart(byStore, 'Stock value by store (latest day)', 'stock-by-store', 'bar', stores, [
      { label: 'stock value', data: stores.map((s) => valueOf(s)) },
    ]);

    const max = Math.max(1, ...[...latest.values()].map((w) => w.total_stock_value));
    heat.replaceChildren(
      el('h3', {}, 'Stock value, category × store (click a cell)'),
      el(
        'div',
        { class: 'heatmap-scroll', tabindex: 0, role: 'region', 'aria-label': 'stock value heatmap' },
        el(
          'table',
          { class: 'heatmap', 'data-chart': 'heatmap' },
          el('thead', {}, el('tr', {}, el('th', {}, ''), ...stores.map((s) => el('th', {}, s)))),
          el(
            'tbody',
            {},
            ...categories.map((c) =>
              el(
                'tr',
                {},
                el('th', {}, c),
                ...stores.map((s) => {
                  // a store without the category: no cell to open, and no 0 that reads as "out of stock"
                  if (!latest.has(`${s}|${c}`))
                    return el('td', { class: 'empty', title: `${s} has no ${c} products` }, '—');
                  const v = valueOf(s, c);
                  return el(
                    'td',
                    {
                      // at most 60 % blue: its dark text stays readable (contrast ≥ 4.5) at every value
                      style: `background: rgba(37, 99, 235, ${(0.05 + (0.55 * v) / max).toFixed(2)})`,
                      class: 'clickable',
                      'data-cell': `${s}|${c}`,
                      onclick: () => {
                        setParams({
                          cell: `${s}|${c}`,
                          'drill-products.page': null,
                          'drill-products.q': null,
                        });
                        void showProducts();
                      },
                    },
                    fmt(v),
                  );
                }),
              ),
            ),
          ),
        ),
      ),
    );
    void showProducts();

    const times = [...new Set(days.items.map((w) => w.window_start))].sort();
    const x = times.map((t) => Date.parse(t) / 1000);
    const perStore = (pick: (w: Window) => number | null) =>
      stores.map((s) => ({
        label: s,
        values: times.map((t) => {
          const ws = days.items.filter((w) => w.store_location === s && w.window_start === t);
          const vals = ws.map(pick).filter((v): v is number => v !== null);
          return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
        }),
      }));
    timeChart(
      turnover,
      'Turnover rate per store (day windows, mean over categories)',
      'turnover',
      x,
      perStore((w) => w.turnover_rate),
    );
    timeChart(
      moving,
      'Stock value moving average per store (5 windows)',
      'moving-average',
      x,
      perStore((w) => w.moving_avg_stock_value),
    );
    const cats = [...new Set(stock.items.map((s) => s.category))].sort();
    chart(
      scatter,
      'Quantity vs price by category',
      'quantity-price',
      'scatter',
      [],
      cats.map((c) => ({
        label: c,
        data: stock.items.filter((s) => s.category === c).map((s) => ({ x: s.price, y: s.quantity })),
      })),
    );
  };
  filters.onChange(() => void refresh());
  on(
    'metrics',
    throttle(() => void refresh(), 5000),
  );
  return refresh;
}
