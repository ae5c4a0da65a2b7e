import { api, on, throttle, type List } from '../api.js';
import { chart, timeChart } from '../charts.js';
import { el, fmt, table } from '../dom.js';
import type { Filters } from '../filters.js';

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

  const showProducts = async (store: string, category: string) => {
    const stock = await api<List<Stock>>(
      `/inventory?store=${encodeURIComponent(store)}&category=${encodeURIComponent(category)}&limit=500`,
    );
    drill.replaceChildren(
      el('h3', {}, `${category} at ${store}: products (click one for its events)`),
      table(
        'drill-products',
        ['product_id', 'description', 'quantity', 'price'].map((key) => ({
          key,
          label: key.replace(/_/g, ' '),
        })),
        stock.items,
        (p) => void showEvents(p),
      ),
    );
  };
  const showEvents = async (p: Stock) => {
    const events = await api<List<Record<string, unknown>>>(
      `/events?store=${encodeURIComponent(p.store_location)}&product=${encodeURIComponent(p.product_id)}&limit=100`,
    );
    drill.append(
      el('h3', {}, `Events of ${p.product_id} at ${p.store_location}`),
      table(
        'drill-events',
        ['event_timestamp', 'quantity', 'units_sold', 'units_received', 'price', 'description'].map(
          (key) => ({ key, label: key.replace(/_/g, ' ') }),
        ),
        events.items,
      ),
    );
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
                const v = valueOf(s, c);
                return el(
                  'td',
                  {
                    style: `background: rgba(37, 99, 235, ${(0.1 + (0.8 * v) / max).toFixed(2)})`,
                    class: 'clickable',
                    'data-cell': `${s}|${c}`,
                    onclick: () => void showProducts(s, c),
                  },
                  fmt(v),
                );
              }),
            ),
          ),
        ),
      ),
    );

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
