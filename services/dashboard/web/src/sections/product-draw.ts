import { timeChart, type Line } from '../charts.js';
import { el, fmt, tile } from '../dom.js';
import { forecastChart } from '../forecast-chart.js';
import {
  DAY_S,
  epoch,
  HISTORY_DAYS,
  named,
  type Event,
  type Forecast,
  type Order,
  type Stock,
} from './product-model.js';

/** The product's stock over time, with the advice's projection (no receipts), reorder point and safety stock. */
export function drawStockChart(
  stockChart: HTMLElement,
  events: Event[] | null,
  forecast: Forecast | null | undefined,
): void {
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
}

/** Its daily sales with the forecast and its bands, or why there is none yet. */
export function drawForecastChart(forecastBox: HTMLElement, item: Forecast | null): void {
  if (!item) {
    forecastBox.replaceChildren(
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
  forecastChart(
    forecastBox,
    `Units sold per day (${HISTORY_DAYS} days) and the ${item.model} forecast, 80 % and 95 % intervals`,
    'product-forecast',
    item,
  );
}

/** The reorder advice with its inputs, and whether (and when) it is on the purchase list. */
export function drawAdvice(
  adviceBody: HTMLElement,
  item: Forecast | null,
  order: Order | null | undefined,
): void {
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
}

const stock = (label: string, value: Node | string, name: string) =>
  tile(label, value, { 'data-stock': name });

/** The product's name, its facts and its current stock as tiles. */
export function drawStock(
  item: Stock,
  title: HTMLElement,
  facts: HTMLElement,
  stockTiles: HTMLElement,
): void {
  title.textContent = `${item.product_id} at ${item.store_location}`;
  facts.replaceChildren(
    el('span', { 'data-fact': 'description' }, item.description || 'No description'),
    ' · category ',
    el('span', { 'data-fact': 'category' }, item.category),
    ' · store ',
    el('span', { 'data-fact': 'store' }, item.store_location),
  );
  stockTiles.replaceChildren(
    stock('Quantity on hand', fmt(item.quantity), 'quantity'),
    stock('Unit price', fmt(item.price, 2), 'price'),
    stock('Stock value', fmt(item.stock_value, 2), 'stock_value'),
    stock('Sold in 7 days', fmt(item.units_sold_7d), 'units_sold_7d'),
    stock(
      'Days of cover',
      item.days_of_cover === undefined || item.days_of_cover === null
        ? 'nothing sold lately'
        : fmt(item.days_of_cover, 1),
      'days_of_cover',
    ),
    stock(
      'Updated',
      el(
        'time',
        { datetime: item.updated_at },
        item.updated_at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'),
      ),
      'updated_at',
    ),
  );
}
