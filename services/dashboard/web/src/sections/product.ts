import { api, on, throttle, type List } from '../api.js';
import { timeChart, type Line } from '../charts.js';
import { dataTable } from '../data-table.js';
import { el, fmt } from '../dom.js';
import { productSearch } from '../product-search.js';
import { productHref, route } from '../url-state.js';
import { verdictCell, type Judged } from './anomaly-review.js';

interface Stock {
  product_id: string;
  store_location: string;
  category: string;
  description: string;
  quantity: number;
  price: number;
  stock_value: number;
  updated_at: string;
  units_sold_7d?: number;
  days_of_cover?: number | null;
}

interface Point {
  date: string;
  value: number;
  lower_80: number;
  upper_80: number;
  lower_95: number;
  upper_95: number;
  actual?: number;
}

interface Advice {
  lead_time_days?: number;
  service_level?: number;
  on_hand: number | null;
  safety_stock: number;
  reorder_point: number;
  stockout_date: string | null;
  suggested_order_qty: number;
  projected_stock?: { date: string; quantity: number | null }[];
}

interface Forecast {
  series_id: string;
  model: string;
  chosen_model?: string;
  reason?: string;
  horizon: number;
  last_date?: string;
  generated_at?: string;
  points: Point[];
  history?: { date: string; units: number }[];
  advice?: Advice;
}

interface Order {
  product_id: string;
  reason: string;
  order_by: string;
  order_quantity: number;
  order_value: number | null;
}

type Event = Record<string, unknown> & { event_timestamp: string; quantity?: number };
type Anomaly = Record<string, unknown> & Judged & { severity: string };
type Notification = Record<string, unknown> & {
  severity: string;
  product_id?: string;
  products?: string[];
};

const HISTORY_DAYS = 90;
/** Days of past predictions drawn next to what was sold (how the model did lately). */
const PAST_DAYS = 28;
const STOCK_EVENTS = 200;
const DAY_S = 86_400;

const enc = encodeURIComponent;
const epoch = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

/** The store and product the URL names (blank when missing). */
function named() {
  const { params } = route();
  return { store: params.get('store')?.trim() ?? '', product: params.get('product')?.trim() ?? '' };
}
const keyOf = (n: { store: string; product: string }) => `${n.store}|${n.product}`;

/** A labelled figure (the overview's tiles). */
const tile = (label: string, value: Node | string, name: string) =>
  el(
    'div',
    { class: 'tile', 'data-stock': name },
    el('span', { class: 'label' }, label),
    el('strong', {}, value),
  );

/**
 * One product at one store, live: its current stock, its demand history with the forecast and its 80/95 %
 * bands, its stock over time (with the advice's projection, reorder point and safety stock), the reorder advice
 * with its inputs and whether it is on the purchase list, and its anomalies (with verdicts), notifications and
 * latest events, each a server-paged table. Each part reloads on the live events that concern this product
 * (throttled), and says so in place when its service does not answer; a product the store does not have
 * shows where it is known instead, and the product search.
 */
export function product(root: HTMLElement): () => Promise<void> {
  const title = el('h2', {}, 'Product');
  const lost = el('div', { class: 'panel product-missing', 'data-product-missing': '', hidden: true });
  const facts = el('p', { class: 'product-facts' });

  const stockStatus = el('div');
  const stockTiles = el('div', { class: 'tiles' });
  const stockPanel = el('div', { class: 'panel' }, el('h3', {}, 'Current stock'), stockStatus, stockTiles);

  const forecastChart = el('div');
  const forecastStatus = el('div');
  const forecastPanel = el('div', { class: 'panel' }, forecastStatus, forecastChart);
  const stockChart = el('div');
  const stockChartStatus = el('div');
  const stockChartPanel = el('div', { class: 'panel' }, stockChartStatus, stockChart);

  const adviceStatus = el('div');
  const adviceBody = el('div');
  const advicePanel = el(
    'div',
    { class: 'panel', 'data-advice': '' },
    el('h3', {}, 'Reorder advice'),
    adviceStatus,
    adviceBody,
  );

  const anomalyTable = dataTable<Anomaly>({
    name: 'product-anomalies',
    source: () => {
      const n = named();
      return `/anomalies?store=${enc(n.store)}&product=${enc(n.product)}`;
    },
    search: true,
    columns: [
      { key: 'event_timestamp', label: 'when' },
      {
        key: 'severity',
        label: 'severity',
        render: (a) => el('span', { class: `sev-${a.severity}` }, a.severity),
      },
      { key: 'detector', label: 'detector' },
      { key: 'type', label: 'type' },
      { key: 'score', label: 'score', render: (a) => fmt(a.score, 2) },
      { key: 'explanation', label: 'explanation' },
      { key: 'verdict', label: 'verdict', render: verdictCell },
    ],
  });
  // a digest names several products (`products`); the notifier's `product` filter finds it by any of them
  const notificationTable = dataTable<Notification>({
    name: 'product-notifications',
    source: () => {
      const n = named();
      return `/notifications?store=${enc(n.store)}&product=${enc(n.product)}`;
    },
    search: true,
    columns: [
      { key: 'last_seen', label: 'last seen' },
      {
        key: 'severity',
        label: 'severity',
        render: (x) => el('span', { class: `sev-${x.severity}` }, x.severity),
      },
      { key: 'status', label: 'status' },
      { key: 'type', label: 'type' },
      { key: 'title', label: 'title' },
      { key: 'message', label: 'message', sortable: false },
      {
        key: 'product_id',
        label: 'products',
        render: (x) => x.product_id ?? (x.products ?? []).join(', '),
      },
      { key: 'count', label: 'count' },
    ],
  });
  const eventTable = dataTable<Event>({
    name: 'product-events',
    source: () => {
      const n = named();
      return `/events?store=${enc(n.store)}&product=${enc(n.product)}`;
    },
    search: true,
    columns: [
      { key: 'event_timestamp', label: 'event time' },
      { key: 'quantity', label: 'quantity' },
      { key: 'units_sold', label: 'sold' },
      { key: 'units_received', label: 'received' },
      { key: 'price', label: 'price', render: (e) => fmt(e.price, 2) },
      { key: 'description', label: 'description' },
      { key: 'source', label: 'source' },
      { key: 'received_at', label: 'received at' },
    ],
  });
  const tableStatus = { anomalies: el('div'), notifications: el('div'), events: el('div') };

  const page = el(
    'div',
    { class: 'product-page', 'data-product-page': '' },
    facts,
    stockPanel,
    el('div', { class: 'grid' }, forecastPanel, stockChartPanel),
    advicePanel,
    el('div', { class: 'panel' }, el('h3', {}, 'Anomalies'), tableStatus.anomalies, anomalyTable.root),
    el(
      'div',
      { class: 'panel' },
      el('h3', {}, 'Notifications naming it'),
      tableStatus.notifications,
      notificationTable.root,
    ),
    el('div', { class: 'panel' }, el('h3', {}, 'Latest events'), tableStatus.events, eventTable.root),
  );
  root.replaceChildren(title, lost, page);

  // what the charts are drawn from, for the product shown (`shown`); cleared when another is shown
  let shown = '';
  let events: Event[] | null = null;
  let forecast: Forecast | null | undefined;

  /**
   * A part of the page that loads on its own: the newest call wins, an answer for another product (the URL
   * changed meanwhile) is dropped, and a failure is said in the part's status, not thrown.
   */
  const part = (status: HTMLElement, load: (current: () => boolean) => Promise<void>) => {
    let latest = 0;
    return async () => {
      const mine = ++latest;
      const key = keyOf(named());
      const current = () => mine === latest && key === keyOf(named()) && key === shown;
      try {
        await load(current);
        if (current()) status.replaceChildren();
      } catch (err) {
        if (current())
          status.replaceChildren(
            el('p', { class: 'warning', role: 'alert' }, `Could not load: ${(err as Error).message}`),
          );
      }
    };
  };

  const drawStockChart = () => {
    if (events === null) return;
    const { store, product: id } = named();
    const history = events
      .filter((e) => typeof e.quantity === 'number')
      .map((e) => ({ t: Date.parse(e.event_timestamp) / 1000, quantity: e.quantity! }))
      .filter((e) => Number.isFinite(e.t))
      .sort((a, b) => a.t - b.t);
    const advice = forecast?.advice;
    // the projection: stock at the end of each day (from the end of the last day of data), with no receipts
    const projected = (advice?.projected_stock ?? [])
      .filter((p) => p.quantity !== null)
      .map((p) => ({ t: epoch(p.date) + DAY_S, quantity: p.quantity! }));
    if (projected.length && advice?.on_hand !== null && advice?.on_hand !== undefined)
      projected.unshift({ t: projected[0]!.t - DAY_S, quantity: advice.on_hand });
    if (!history.length && !projected.length) {
      stockChart.replaceChildren(
        el('h3', {}, 'Stock over time'),
        el(
          'div',
          { class: 'chart chart-empty', 'data-chart': 'product-stock', 'data-empty': '' },
          el('p', { class: 'muted' }, `No stock reported for ${id} at ${store} yet.`),
        ),
      );
      return;
    }
    const times = [...new Set([...history.map((h) => h.t), ...projected.map((p) => p.t)])].sort(
      (a, b) => a - b,
    );
    const at = (rows: { t: number; quantity: number }[]) => {
      const m = new Map(rows.map((r) => [r.t, r.quantity]));
      return times.map((t) => m.get(t) ?? null);
    };
    const lines: Line[] = [{ label: 'stock on hand', values: at(history) }];
    if (projected.length)
      lines.push({ label: 'projected (forecast demand)', values: at(projected), dash: true });
    if (advice) {
      lines.push({ label: 'reorder point', values: times.map(() => advice.reorder_point), dash: true });
      lines.push({ label: 'safety stock', values: times.map(() => advice.safety_stock), dash: true });
    }
    timeChart(
      stockChart,
      `Stock over time (latest ${fmt(history.length)} reports${projected.length ? ', and the projection' : ''})`,
      'product-stock',
      times,
      lines,
    );
  };

  const drawForecastChart = (item: Forecast | null) => {
    if (!item) {
      forecastChart.replaceChildren(
        el('h3', {}, 'Demand and forecast'),
        el(
          'div',
          { class: 'chart chart-empty', 'data-chart': 'product-forecast', 'data-empty': '' },
          el(
            'p',
            { class: 'muted' },
            'No forecast for this product yet: the forecaster trains once a few days of its demand are in.',
          ),
        ),
      );
      return;
    }
    // its own daily sales, then the forecast days (with what was sold on them once known), in date order
    const days = new Map<string, { units?: number; point?: Point }>();
    for (const h of item.history ?? []) days.set(h.date, { units: h.units });
    for (const x of item.points)
      days.set(x.date, {
        ...days.get(x.date),
        point: x,
        ...(x.actual !== undefined ? { units: x.actual } : {}),
      });
    const rows = [...days].sort((a, b) => a[0].localeCompare(b[0]));
    const band = (pick: (x: Point) => number) => rows.map(([, d]) => (d.point ? pick(d.point) : null));
    timeChart(
      forecastChart,
      `Units sold per day (${HISTORY_DAYS} days) and the ${item.model} forecast, 80 % and 95 % intervals`,
      'product-forecast',
      rows.map(([date]) => epoch(date)),
      [
        { label: 'sold', values: rows.map(([, d]) => d.units ?? null) },
        { label: 'forecast', values: band((x) => x.value), dash: true },
        { label: 'upper 95 %', values: band((x) => x.upper_95) },
        { label: 'lower 95 %', values: band((x) => x.lower_95) },
        { label: 'upper 80 %', values: band((x) => x.upper_80) },
        { label: 'lower 80 %', values: band((x) => x.lower_80) },
      ],
      [
        [3, 4],
        [5, 6],
      ],
    );
  };

  const drawAdvice = (item: Forecast | null, order: Order | null | undefined) => {
    const a = item?.advice;
    if (!item || !a) {
      adviceBody.replaceChildren(
        el(
          'p',
          { class: 'muted' },
          item
            ? 'The forecast has no reorder advice (its stock on hand is not known).'
            : 'No reorder advice yet: it comes with the first forecast.',
        ),
      );
      return;
    }
    const row = (label: string, value: Node | string, name: string) => [
      el('dt', {}, label),
      el('dd', { 'data-advice-field': name }, value),
    ];
    const onList =
      order === undefined
        ? null
        : el(
            'p',
            { 'data-on-purchase-list': String(order !== null) },
            order
              ? `On the purchase list: order ${fmt(order.order_quantity)} by ${order.order_by} (${
                  order.reason === 'stockout' ? 'projected stock-out' : 'at or below its reorder point'
                })${order.order_value !== null ? `, ${fmt(order.order_value, 2)} at the latest price` : ''}.`
              : 'Not on the purchase list: no order is needed before the next review.',
          );
    const parts: (HTMLElement | null)[] = [
      el(
        'p',
        {},
        a.suggested_order_qty > 0
          ? `Order ${fmt(a.suggested_order_qty)} units now: stock on hand is at or below the reorder point.`
          : a.stockout_date
            ? `No order needed yet; stock is projected to run out on ${a.stockout_date}.`
            : 'No order needed: stock covers the forecast.',
      ),
      onList,
      el(
        'dl',
        { class: 'advice' },
        ...row('on hand', fmt(a.on_hand), 'on_hand'),
        ...row('safety stock', fmt(a.safety_stock, 1), 'safety_stock'),
        ...row('reorder point', fmt(a.reorder_point, 1), 'reorder_point'),
        ...row('projected stock-out', a.stockout_date ?? 'not within the forecast', 'stockout_date'),
        ...row('suggested order', fmt(a.suggested_order_qty), 'suggested_order_qty'),
        ...row(
          'lead time',
          a.lead_time_days === undefined ? '—' : `${fmt(a.lead_time_days)} days`,
          'lead_time_days',
        ),
        ...row(
          'service level',
          a.service_level === undefined ? '—' : `${fmt(a.service_level * 100, 1)} %`,
          'service_level',
        ),
        ...row('model', item.chosen_model ?? item.model, 'model'),
        ...row('data up to', item.last_date ?? '—', 'last_date'),
        ...row('trained', item.generated_at ?? '—', 'generated_at'),
      ),
      item.reason ? el('p', { class: 'muted reason' }, item.reason) : null,
    ];
    adviceBody.replaceChildren(...parts.filter((x): x is HTMLElement => x !== null));
  };

  const loadStock = part(stockChartStatus, async (current) => {
    const { store, product: id } = named();
    const list = await api<List<Event>>(
      `/events?store=${enc(store)}&product=${enc(id)}&limit=${STOCK_EVENTS}&sort=-event_timestamp`,
    );
    if (!current()) return;
    events = list.items;
    drawStockChart();
  });

  const loadForecast = part(forecastStatus, async (current) => {
    const { store, product: id } = named();
    const [list, orders] = await Promise.all([
      api<List<Forecast>>(
        `/forecasts?store=${enc(store)}&product=${enc(id)}&kind=product&history_days=${HISTORY_DAYS}&past_days=${PAST_DAYS}&limit=1`,
      ),
      // whether it is on the purchase list (q is a substring: the exact product is picked out here)
      api<List<Order>>(`/replenishment?store=${enc(store)}&q=${enc(id)}&limit=1000`).then(
        (r) => r.items.find((o) => o.product_id === id) ?? null,
        () => undefined,
      ),
    ]);
    if (!current()) return;
    forecast = list.items[0] ?? null;
    drawForecastChart(forecast);
    drawAdvice(forecast, orders);
    drawStockChart();
  });

  const guarded = (status: HTMLElement, table: { refresh: () => Promise<void> }) =>
    part(status, () => table.refresh());
  const loadAnomalies = guarded(tableStatus.anomalies, anomalyTable);
  const loadNotifications = guarded(tableStatus.notifications, notificationTable);
  const loadEvents = guarded(tableStatus.events, eventTable);

  /** The current stock, and the header; false when the store has no such product. */
  const loadHeader = async (): Promise<boolean> => {
    const { store, product: id } = named();
    const key = keyOf({ store, product: id });
    let item: Stock | undefined;
    try {
      const list = await api<List<Stock>>(`/inventory?store=${enc(store)}&product=${enc(id)}&limit=1`);
      if (key !== shown) return true;
      item = list.items[0];
    } catch (err) {
      // the stock is not known now (the processor does not answer): the rest of the page may still be
      if (key !== shown) return true;
      stockStatus.replaceChildren(
        el('p', { class: 'warning', role: 'alert' }, `Could not load the stock: ${(err as Error).message}`),
      );
      return true;
    }
    if (!item) return false;
    stockStatus.replaceChildren();
    title.textContent = `${item.product_id} at ${item.store_location}`;
    facts.replaceChildren(
      el('span', { 'data-fact': 'description' }, item.description || 'No description'),
      ' · category ',
      el('span', { 'data-fact': 'category' }, item.category),
      ' · store ',
      el('span', { 'data-fact': 'store' }, item.store_location),
    );
    stockTiles.replaceChildren(
      tile('Quantity on hand', fmt(item.quantity), 'quantity'),
      tile('Unit price', fmt(item.price, 2), 'price'),
      tile('Stock value', fmt(item.stock_value, 2), 'stock_value'),
      tile('Sold in 7 days', fmt(item.units_sold_7d), 'units_sold_7d'),
      tile(
        'Days of cover',
        item.days_of_cover === undefined || item.days_of_cover === null
          ? 'nothing sold lately'
          : fmt(item.days_of_cover, 1),
        'days_of_cover',
      ),
      tile(
        'Updated',
        el(
          'time',
          { datetime: item.updated_at },
          item.updated_at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'),
        ),
        'updated_at',
      ),
    );
    return true;
  };

  /** No store or product, or one the store does not have: say so, where the product is known, and a search. */
  const showLost = async (store: string, id: string) => {
    page.hidden = true;
    lost.hidden = false;
    title.textContent = 'Product';
    const search = el('div', { class: 'product-search' });
    const where = el('div');
    lost.replaceChildren(
      el('h3', {}, !store || !id ? 'Which product?' : 'Product not found'),
      el(
        'p',
        { role: 'status' },
        !store || !id
          ? 'This page shows one product at one store: the link needs both a store and a product. Find one:'
          : `The store “${store}” has no product “${id}” (none reported yet). Find another:`,
      ),
      search,
      where,
    );
    productSearch(search);
    if (!id) return;
    // the same product at other stores, when there is one
    const key = keyOf({ store, product: id });
    const elsewhere = await api<List<Stock>>(`/inventory?product=${enc(id)}&limit=20`).catch(() => null);
    if (!elsewhere?.items.length || keyOf(named()) !== key) return;
    where.replaceChildren(
      el('p', {}, `${id} is known at:`),
      el(
        'ul',
        {},
        ...elsewhere.items.map((s) =>
          el('li', {}, el('a', { href: productHref(s.store_location, s.product_id) }, s.store_location)),
        ),
      ),
    );
  };

  const refresh = async () => {
    const n = named();
    const key = keyOf(n);
    if (key !== shown) {
      // another product: nothing of the previous one stays on screen
      shown = key;
      events = null;
      forecast = undefined;
      page.setAttribute('data-product-page', key);
      title.textContent = n.product && n.store ? `${n.product} at ${n.store}` : 'Product';
      for (const x of [
        facts,
        stockTiles,
        stockStatus,
        adviceBody,
        adviceStatus,
        forecastStatus,
        stockChartStatus,
      ])
        x.replaceChildren();
      forecastChart.replaceChildren(
        el('h3', {}, 'Demand and forecast'),
        el('p', { class: 'muted' }, 'Loading…'),
      );
      stockChart.replaceChildren(el('h3', {}, 'Stock over time'), el('p', { class: 'muted' }, 'Loading…'));
    }
    if (!n.store || !n.product) return showLost(n.store, n.product);
    if (!(await loadHeader())) {
      if (keyOf(named()) === key) await showLost(n.store, n.product);
      return;
    }
    if (keyOf(named()) !== key) return;
    lost.hidden = true;
    page.hidden = false;
    await Promise.all([loadStock(), loadForecast(), loadAnomalies(), loadNotifications(), loadEvents()]);
  };

  // live: each part on the events about this product at this store (the section hidden: it reloads when shown)
  const live = (load: () => Promise<void>, ms: number) => {
    const later = throttle(() => {
      const n = named();
      if (!root.hidden && !page.hidden && route().name === 'product' && keyOf(n) === shown) void load();
    }, ms);
    return later;
  };
  const concerns = (data: Record<string, unknown>) => {
    const n = named();
    return data.store_location === n.store && data.product_id === n.product;
  };
  const stockLater = live(async () => {
    await Promise.all([loadHeader(), loadStock(), loadEvents()]);
  }, 3000);
  const forecastLater = live(loadForecast, 3000);
  const anomaliesLater = live(loadAnomalies, 2000);
  const notificationsLater = live(loadNotifications, 2000);
  on('metrics', (data) => {
    // a day of demand names the products whose day changed: a new report of this one (stock, sales, receipts)
    const n = named();
    const products = data.products;
    if (
      data.kind === 'daily_demand' &&
      data.store_location === n.store &&
      Array.isArray(products) &&
      products.some((p: { product_id?: unknown }) => p.product_id === n.product)
    )
      stockLater();
  });
  on('forecast', (data) => concerns(data) && forecastLater());
  on('anomaly', (data) => concerns(data) && anomaliesLater());
  on('notification', (data) => {
    const n = named();
    const products = data.products;
    if (
      data.store_location === n.store &&
      (data.product_id === n.product || (Array.isArray(products) && products.includes(n.product)))
    )
      notificationsLater();
  });
  return refresh;
}
