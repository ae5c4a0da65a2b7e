import { api, on, throttle, type List } from '../api.js';
import { chart } from '../charts.js';
import { dataTable } from '../data-table.js';
import { forecastChart, type Point } from '../forecast-chart.js';
import { el, fmt, table } from '../dom.js';
import type { Filters } from '../filters.js';
import { productHref } from '../url-state.js';

type Item = {
  series_id: string;
  history?: { date: string; units: number }[];
  product_id?: string;
  store_location: string;
  category: string;
  model: string;
  reason: string;
  points: Point[];
  advice?: {
    stockout_date: string | null;
    reorder_point: number;
    safety_stock: number;
    suggested_order_qty: number;
    on_hand: number | null;
  };
};

/** Per series: actuals, forecast and 80/95 % bands; actual vs predicted; the model leaderboard; reorder advice. */
export function forecasts(root: HTMLElement, filters: Filters): () => Promise<void> {
  const pick = el('select', { name: 'series' });
  const series = el('div', { class: 'panel' });
  const reason = el('p', { class: 'reason' });
  const scatter = el('div', { class: 'panel' });
  const leaderboard = el('div', { class: 'panel' });
  const adviceTable = dataTable<Item>({
    name: 'reorder-advice',
    source: () => `/forecasts?kind=product&horizon=1${filters.query(['store', 'category'])}`,
    search: true,
    columns: [
      { key: 'store_location', label: 'store' },
      {
        key: 'product_id',
        label: 'product',
        render: (r) =>
          r.product_id ? el('a', { href: productHref(r.store_location, r.product_id) }, r.product_id) : '—',
      },
      { key: 'category', label: 'category' },
      { key: 'on_hand', label: 'on hand', value: (r) => r.advice?.on_hand },
      { key: 'stockout_date', label: 'stock-out', value: (r) => r.advice?.stockout_date ?? 'not expected' },
      {
        key: 'reorder_point',
        label: 'reorder point',
        value: (r) => r.advice?.reorder_point,
        render: (r) => fmt(r.advice?.reorder_point, 1),
      },
      {
        key: 'safety_stock',
        label: 'safety stock',
        value: (r) => r.advice?.safety_stock,
        render: (r) => fmt(r.advice?.safety_stock, 1),
      },
      {
        key: 'suggested_order_qty',
        label: 'order',
        value: (r) => r.advice?.suggested_order_qty,
        render: (r) => fmt(r.advice?.suggested_order_qty),
      },
      { key: 'model', label: 'model' },
    ],
  });
  const advice = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'Reorder advice (sort by any column; the purchase list is under Replenishment)'),
    adviceTable.root,
  );
  let items: Item[] = [];
  root.replaceChildren(
    el('h2', {}, 'Forecasts'),
    el('label', {}, 'Series ', pick),
    reason,
    el('div', { class: 'grid' }, series, scatter),
    leaderboard,
    advice,
  );

  const draw = () => {
    const item = items.find((i) => i.series_id === pick.value) ?? items[0];
    if (!item)
      return void series.replaceChildren(
        el('p', {}, 'No forecasts yet: the forecaster trains once a few days of demand are in.'),
      );
    forecastChart(series, `${item.series_id} — ${item.model}`, 'forecast', item);
    reason.textContent = item.reason;
  };
  pick.addEventListener('change', draw);

  const refresh = async () => {
    const [list, models] = await Promise.all([
      api<List<Item>>(
        `/forecasts?limit=1000&past_days=30&history_days=60${filters.query(['store', 'category'])}`,
      ),
      api<List<Record<string, unknown>>>('/models'),
    ]);
    items = list.items;
    const keep = pick.value;
    pick.replaceChildren(...items.map((i) => el('option', { value: i.series_id }, i.series_id)));
    if (keep) pick.value = keep;
    draw();
    const pairs = items.flatMap((i) =>
      i.points.filter((x) => x.actual !== undefined).map((x) => ({ x: x.value, y: x.actual! })),
    );
    chart(
      scatter,
      `Actual vs predicted (${pairs.length} days)`,
      'actual-vs-predicted',
      'scatter',
      [],
      [{ label: 'days', data: pairs }],
    );
    leaderboard.replaceChildren(
      el(
        'h3',
        {},
        'Model leaderboard per level (backtests, against SeasonalNaive; live errors once actuals arrive)',
      ),
      table(
        'models',
        [
          'level',
          'model',
          'series',
          'chosen',
          'mase',
          'vs_seasonal_naive',
          'beats_seasonal_naive',
          'smape',
          'wape',
          'coverage_80',
          'coverage_95',
          'live_mae',
          'live_days',
        ].map((key) => ({ key, label: key.replace(/_/g, ' ') })),
        models.items,
      ),
    );
    await adviceTable.refresh();
  };
  filters.onChange(() => void refresh());
  on(
    'forecast',
    throttle(() => void refresh(), 5000),
  );
  return refresh;
}
