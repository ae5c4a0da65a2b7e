import { describe, expect, it } from '@jest/globals';
import { adviseReorder } from './advice.js';
import { addDays, replenishmentOf } from './replenishment.js';

const TODAY = '2025-03-01';
/** Advice as the forecaster gives it for a forecast from TODAY on (the data ends the day before). */
const advised = (onHand: number | null, forecast: number[], sigma = 0, unitPrice: number | null = 2.5) => ({
  store_location: 'NYC',
  product_id: 'P1',
  category: 'Books',
  last_date: '2025-02-28',
  unit_price: unitPrice,
  advice: adviseReorder({
    onHand,
    forecast,
    dates: forecast.map((_, i) => addDays(TODAY, i)),
    sigma,
    leadTimeDays: 4,
    serviceLevel: 0.95,
    reviewDays: 7,
  }),
});
const tenADay = (days: number) => Array<number>(days).fill(10);

describe('replenishmentOf', () => {
  it('orders what the advice suggests at or below the reorder point, by today when the stock-out is near', () => {
    // 35 on hand, 10 a day: out on day 4 (03-04), order by 03-04 − 4 days = 02-28, so today
    const series = advised(35, tenADay(14), 4);
    expect(replenishmentOf(series, TODAY, 7)).toEqual({
      store_location: 'NYC',
      product_id: 'P1',
      category: 'Books',
      reason: 'reorder_point',
      order_by: TODAY,
      order_quantity: 89,
      unit_price: 2.5,
      order_value: 222.5,
      quantity_on_hand: 35,
      stock_as_of: '2025-02-28',
      reorder_point: series.advice.reorder_point,
      safety_stock: series.advice.safety_stock,
      lead_time_demand: 40,
      lead_time_days: 4,
      stockout_date: '2025-03-04',
    });
  });

  it('orders above the reorder point when the stock runs out before an order at the next review could arrive', () => {
    // 100 on hand, 10 a day, no safety stock: ROP 40; out on 03-10, before 03-12 (today + 4 + 7)
    const item = replenishmentOf(advised(100, tenADay(14)), TODAY, 7);
    expect(item).toMatchObject({
      reason: 'stockout',
      stockout_date: '2025-03-10',
      order_by: '2025-03-06',
      // up to 11 days of demand (110) less the 100 on hand
      order_quantity: 10,
      order_value: 25,
      reorder_point: 40,
      lead_time_demand: 40,
    });
    // out on 03-13: an order at the next review still comes in time
    expect(replenishmentOf(advised(125, tenADay(14)), TODAY, 7)).toBeNull();
    // … unless the review period is longer
    expect(replenishmentOf(advised(125, tenADay(14)), TODAY, 9)).toMatchObject({ order_quantity: 5 });
  });

  it('extends a projection shorter than lead time + review period at its mean rate', () => {
    // 45 on hand, 6 days of 10: out on 03-05; 11 days of demand at 10 a day = 110, less 45
    expect(replenishmentOf(advised(45, tenADay(6)), TODAY, 7)).toMatchObject({
      reason: 'stockout',
      order_quantity: 65,
      order_by: TODAY,
    });
  });

  it('orders nothing for stock never reported, and never by a day before today', () => {
    expect(replenishmentOf(advised(null, tenADay(14)), TODAY, 7)).toBeNull();
    // advice from a month ago: its stock-out (03-04) is past
    expect(replenishmentOf(advised(35, tenADay(14), 4, null), '2025-04-01', 7)).toMatchObject({
      order_by: '2025-04-01',
      unit_price: null,
      order_value: null,
    });
  });
});
