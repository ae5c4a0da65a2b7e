import { describe, expect, it } from '@jest/globals';
import type { InventoryEvent } from './findings.js';
import { priceRule, stockRules, type Baseline } from './rules.js';

const T = {
  PRICE_MAX_RATIO: 3,
  PRICE_MAD_K: 5,
  PRICE_MIN_HISTORY: 5,
  QUANTITY_TOLERANCE: 2,
  QUANTITY_TOLERANCE_SHARE: 0.05,
  STOCK_TRUST_REPORTS: 3,
};
/** A series whose last reports all reconciled. */
const ok = [true, true, true];
const event = (fields: Partial<InventoryEvent>): InventoryEvent => ({
  event_id: 'ev-1',
  product_id: 'P001',
  store_location: 'NYC',
  category: 'Books',
  price: 10,
  event_timestamp: '2025-03-02T20:00:00.000Z',
  received_at: '2025-03-02T20:00:01.000Z',
  source: 'api',
  ...fields,
});
const usual = [10, 10, 10.5, 9.5, 10, 8]; // median 10, with a promotion
const before: Baseline = { timestamp: '2025-03-01T20:00:00.000Z', quantity: 50, flagged: false };

describe('price rule', () => {
  it('flags a price six times its median, naming the usual price', () => {
    expect(priceRule(event({ price: 60 }), usual, T)).toEqual({
      detector: 'rules',
      type: 'price_spike',
      severity: 'critical',
      score: 50 / (1.4826 * 0.25),
      cause: 'rules:price_spike:ev-1',
      explanation:
        'P001 (Books) at NYC was priced 60.00, 6.0 times its usual 10.00; check for a pricing or scanning error.',
    });
  });

  it('flags a price a quarter of its median as a drop', () => {
    expect(priceRule(event({ price: 2.5 }), usual, T)).toMatchObject({
      type: 'price_drop',
      severity: 'warning',
    });
  });

  it('leaves promotions, price changes and short histories alone', () => {
    expect(priceRule(event({ price: 8 }), usual, T)).toBeUndefined();
    expect(priceRule(event({ price: 11.2 }), usual, T)).toBeUndefined();
    expect(priceRule(event({ price: 29 }), usual, T)).toBeUndefined(); // under 3×
    expect(priceRule(event({ price: 60 }), [10, 10, 10], T)).toBeUndefined();
  });

  it('leaves a price the series has shown among its recent ones (a bulk or trade price tier)', () => {
    const tiers = [2.55, 2.55, 2.55, 0.79, 2.55, 2.55, 2.55, 2.55];
    expect(priceRule(event({ price: 0.79 }), tiers, T)).toBeUndefined();
    expect(priceRule(event({ price: 0.7 }), tiers, T)).toMatchObject({ type: 'price_drop' });
  });

  it('flags a zero price whatever the history', () => {
    expect(priceRule(event({ price: 0 }), [], T)).toMatchObject({ type: 'zero_price', severity: 'warning' });
  });
});

describe('stock rules', () => {
  const at = { event_timestamp: '2025-03-02T20:00:00.000Z' };

  it('accepts stock that sales and receipts explain exactly, or within the tolerance', () => {
    expect(stockRules(event({ ...at, quantity: 45, units_sold: 5 }), before, ok, T)).toEqual({
      findings: [],
      change: 0,
      reconciles: true,
    });
    expect(
      stockRules(event({ ...at, quantity: 75, units_sold: 5, units_received: 30 }), before, ok, T).findings,
    ).toEqual([]);
    expect(stockRules(event({ ...at, quantity: 43, units_sold: 5 }), before, ok, T)).toEqual({
      findings: [],
      change: -2,
      reconciles: true,
    });
  });

  it('flags negative stock as critical, with or without a baseline', () => {
    const { findings } = stockRules(event({ quantity: -4 }), undefined, ok, T);
    expect(findings).toEqual([
      expect.objectContaining({
        type: 'negative_stock',
        severity: 'critical',
        score: 4,
        explanation:
          'P001 (Books) at NYC reported -4 units in stock, which is impossible; recount the shelf and check unrecorded sales.',
      }),
    ]);
  });

  it('flags a fall with no sales recorded', () => {
    const { findings, change } = stockRules(event({ ...at, quantity: 10, units_sold: 0 }), before, ok, T);
    expect(change).toBe(-40);
    expect(findings).toEqual([
      expect.objectContaining({ type: 'stock_drop_without_sales', severity: 'critical', score: 0.8 }),
    ]);
    expect(findings[0]!.explanation).toBe(
      'Stock of P001 (Books) at NYC fell from 50 to 10 with no sales recorded; check for theft, damage or a missed sale.',
    );
  });

  it('flags stock that rose beyond receipts, and more gone than sold (shrinkage)', () => {
    expect(
      stockRules(event({ ...at, quantity: 150, units_sold: 2 }), before, ok, T).findings[0],
    ).toMatchObject({
      type: 'unexplained_increase',
      score: 102 / 50,
    });
    expect(
      stockRules(event({ ...at, quantity: 40, units_sold: 2 }), before, ok, T).findings[0],
    ).toMatchObject({
      type: 'shrinkage',
      severity: 'warning',
      score: 8 / 50,
    });
  });

  it('does not judge records without sales figures, late records, or the report after an anomaly', () => {
    // the original six-field record: a fall in stock is how it reports sales
    expect(stockRules(event({ ...at, quantity: 10 }), before, ok, T).findings).toEqual([]);
    expect(
      stockRules(
        event({ event_timestamp: '2025-03-01T10:00:00.000Z', quantity: 0, units_sold: 0 }),
        before,
        ok,
        T,
      ).findings,
    ).toEqual([]);
    expect(
      stockRules(event({ ...at, quantity: 10, units_sold: 0 }), { ...before, flagged: true }, ok, T).findings,
    ).toEqual([]);
  });

  it('judges stock only once a series has shown its reports reconcile, and stops when they no longer do', () => {
    const drop = event({ ...at, quantity: 10, units_sold: 0 });
    // a new series, or one whose stock has never matched its sales: nothing said, the outcome counted
    expect(stockRules(drop, before, [], T)).toMatchObject({ findings: [], reconciles: false });
    expect(stockRules(drop, before, [true, true], T).findings).toEqual([]);
    expect(stockRules(drop, before, [true, true, true], T).findings).toHaveLength(1);
    // ten reports of which three reconciled (a source that counts stock elsewhere): not judged
    const mostlyOff = [true, false, false, true, false, false, false, true, false, false];
    expect(stockRules(drop, before, mostlyOff, T).findings).toEqual([]);
    const backOnTrack = [false, false, false, true, true, true, true, true, true, true];
    expect(stockRules(drop, before, backOnTrack, T).findings).toHaveLength(1);
    // negative stock is impossible whatever the series' past
    expect(stockRules(event({ ...at, quantity: -1, units_sold: 0 }), before, [], T).findings).toHaveLength(1);
  });
});
