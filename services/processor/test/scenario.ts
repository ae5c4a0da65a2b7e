/**
 * A small day of events with every case the metrics must handle, and the metrics computed by hand.
 * NYC/Books has P1 and P2; LA/Books has one P1 report so the category totals span two stores.
 * Event 6 is late: it arrives after event 5 but happened at 09:40, between events 1 and 3, so it changes
 * the demand attributed to event 3 (from 10 − 7 = 3 to 9 − 7 = 2) and the closing stock of the 09:00 hour.
 */
export const DAY = '2025-01-10';
const at = (time: string) => `${DAY}T${time}:00Z`;
const base = { category: 'Books', description: 'Folio paperback novel' };

export const onTime = [
  { ...base, product_id: 'P1', store_location: 'NYC', quantity: 10, price: 2, event_timestamp: at('09:10') },
  { ...base, product_id: 'P2', store_location: 'NYC', quantity: 5, price: 4, event_timestamp: at('09:20') },
  { ...base, product_id: 'P1', store_location: 'NYC', quantity: 7, price: 2, event_timestamp: at('10:05') },
  {
    ...base,
    product_id: 'P2',
    store_location: 'NYC',
    quantity: 3,
    units_sold: 2,
    price: 4,
    event_timestamp: at('10:30'),
  },
  {
    ...base,
    product_id: 'P1',
    store_location: 'NYC',
    quantity: 20,
    price: 2.5,
    event_timestamp: at('11:15'),
  },
  { ...base, product_id: 'P1', store_location: 'LA', quantity: 1, price: 10, event_timestamp: at('10:00') },
];
export const late = {
  ...base,
  product_id: 'P1',
  store_location: 'NYC',
  quantity: 9,
  price: 2,
  event_timestamp: at('09:40'),
};
/** Event 4 sent again. */
export const duplicate = onTime[3]!;

const hour = (h: string) => `${DAY}T${h}:00:00.000Z`;

/** NYC/Books hour windows after all events, computed by hand. */
export const expectedNycHours = [
  {
    window_start: hour('09'),
    total_quantity: 14,
    total_stock_value: 38,
    avg_price: 3,
    units_sold: 1,
    units_received: 0,
    event_count: 3,
    opening_quantity: 0,
    turnover_rate: 0.1429,
    moving_avg_stock_value: 38,
    days_of_cover: 98,
    stock_value_by_category: 38,
  },
  {
    window_start: hour('10'),
    total_quantity: 10,
    total_stock_value: 26,
    avg_price: 3,
    units_sold: 4,
    units_received: 0,
    event_count: 2,
    opening_quantity: 14,
    turnover_rate: 0.3333,
    moving_avg_stock_value: 32,
    days_of_cover: 14,
    stock_value_by_category: 36,
  },
  {
    window_start: hour('11'),
    total_quantity: 23,
    total_stock_value: 62,
    avg_price: 3.25,
    units_sold: 0,
    units_received: 13,
    event_count: 1,
    opening_quantity: 10,
    turnover_rate: 0,
    moving_avg_stock_value: 42,
    days_of_cover: 32.2,
    stock_value_by_category: 72,
  },
];

export const expectedNycDay = {
  window_start: `${DAY}T00:00:00.000Z`,
  total_quantity: 23,
  total_stock_value: 62,
  avg_price: 3.25,
  units_sold: 5,
  units_received: 13,
  event_count: 6,
  opening_quantity: 0,
  turnover_rate: 0.4348,
  moving_avg_stock_value: 62,
  days_of_cover: 32.2,
  stock_value_by_category: 72,
};

export const expectedInventory = [
  {
    product_id: 'P1',
    store_location: 'LA',
    category: 'Books',
    quantity: 1,
    price: 10,
    stock_value: 10,
    updated_at: at('10:00').replace('Z', '.000Z'),
  },
  {
    product_id: 'P1',
    store_location: 'NYC',
    category: 'Books',
    quantity: 20,
    price: 2.5,
    stock_value: 50,
    updated_at: at('11:15').replace('Z', '.000Z'),
  },
  {
    product_id: 'P2',
    store_location: 'NYC',
    category: 'Books',
    quantity: 3,
    price: 4,
    stock_value: 12,
    updated_at: at('10:30').replace('Z', '.000Z'),
  },
];
