import { api, on, throttle, type List } from '../api.js';
import { el } from '../dom.js';
import { route } from '../url-state.js';
import { drawAdvice, drawForecastChart, drawStock, drawStockChart } from './product-draw.js';
import {
  enc,
  type Event,
  type Forecast,
  HISTORY_DAYS,
  keyOf,
  named,
  type Order,
  PAST_DAYS,
  type Stock,
  STOCK_EVENTS,
} from './product-model.js';
import { drawLost } from './product-lost.js';
import { productTables } from './product-tables.js';

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

  const forecastBox = el('div');
  const forecastStatus = el('div');
  const forecastPanel = el('div', { class: 'panel' }, forecastStatus, forecastBox);
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

  const { anomalyTable, notificationTable, eventTable } = productTables();
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

  const loadStock = part(stockChartStatus, async (current) => {
    const { store, product: id } = named();
    const list = await api<List<Event>>(
      `/events?store=${enc(store)}&product=${enc(id)}&limit=${STOCK_EVENTS}&sort=-event_timestamp`,
    );
    if (!current()) return;
    events = list.items;
    drawStockChart(stockChart, events, forecast);
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
    drawForecastChart(forecastBox, forecast);
    drawAdvice(adviceBody, forecast, orders);
    drawStockChart(stockChart, events, forecast);
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
    drawStock(item, title, facts, stockTiles);
    return true;
  };

  /** No store or product, or one the store does not have: say so, where the product is known, and a search. */
  const showLost = (store: string, id: string) => {
    page.hidden = true;
    lost.hidden = false;
    title.textContent = 'Product';
    return drawLost(lost, store, id);
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
      forecastBox.replaceChildren(
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
