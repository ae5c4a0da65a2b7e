import { describe, expect, it } from '@jest/globals';
import { adviseReorder } from './advice.js';

const days = (n: number) => Array.from({ length: n }, (_, i) => `2025-03-${String(i + 1).padStart(2, '0')}`);

describe('adviseReorder', () => {
  it('computes safety stock, reorder point, stock-out date and order quantity by hand', () => {
    // 10 a day, σ 4, L 4 days, 95 % (z = 1.6449): SS = 1.6449 × 4 × 2 = 13.16; ROP = 40 + 13.16
    const advice = adviseReorder({
      onHand: 35,
      forecast: Array<number>(14).fill(10),
      dates: days(14),
      sigma: 4,
      leadTimeDays: 4,
      serviceLevel: 0.95,
      reviewDays: 7,
    });
    // (simple-statistics' probit is good to about 1e-3: 13.15 rather than 13.16)
    expect(advice.safety_stock).toBeCloseTo(13.16, 1);
    expect(advice.reorder_point).toBeCloseTo(53.16, 1);
    expect(advice.stockout_date).toBe('2025-03-04');
    // order up to 110 + 13.16 = 123.16; less 35 on hand → 88.16 → 89
    expect(advice.suggested_order_qty).toBe(89);
    expect(advice.projected_stock.slice(0, 4)).toEqual([
      { date: '2025-03-01', quantity: 25 },
      { date: '2025-03-02', quantity: 15 },
      { date: '2025-03-03', quantity: 5 },
      { date: '2025-03-04', quantity: -5 },
    ]);
  });

  it('orders nothing above the reorder point and sees no stock-out within the horizon', () => {
    const advice = adviseReorder({
      onHand: 500,
      forecast: Array<number>(7).fill(3),
      dates: days(7),
      sigma: 1,
      leadTimeDays: 7,
      serviceLevel: 0.9,
      reviewDays: 7,
    });
    expect(advice).toMatchObject({ suggested_order_qty: 0, stockout_date: null });
    // a lead time longer than the horizon uses the forecast's mean for the days after it
    expect(advice.reorder_point).toBeCloseTo(21 + 1.2816 * Math.sqrt(7), 1);
  });

  it('gives no stock-out date and no order when the stock on hand is unknown', () => {
    const advice = adviseReorder({
      onHand: null,
      forecast: [5, 5],
      dates: days(2),
      sigma: 0,
      leadTimeDays: 7,
      serviceLevel: 0.95,
      reviewDays: 7,
    });
    expect(advice).toMatchObject({
      on_hand: null,
      stockout_date: null,
      suggested_order_qty: 0,
      safety_stock: 0,
    });
  });
});
