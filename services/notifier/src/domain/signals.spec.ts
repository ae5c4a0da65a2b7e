import { describe, expect, it } from '@jest/globals';
import type { AnomalyPayload, ForecastPayload } from '@stockpulse/contracts';
import { fromAnomaly, fromForecast } from './signals.js';

const anomaly: AnomalyPayload = {
  id: 'an-1',
  detector: 'rules',
  type: 'price_spike',
  severity: 'critical',
  score: 40,
  explanation:
    'P001 (Books) at NYC was priced 80.00, 8.0 times its usual 10.00; check for a pricing or scanning error.',
  event_id: 'ev-1',
  product_id: 'P001',
  store_location: 'NYC',
  category: 'Books',
  event_timestamp: '2025-03-09T20:00:00.000Z',
  detected_at: '2025-03-09T20:00:01.000Z',
};

const forecast = (advice: Partial<NonNullable<ForecastPayload['advice']>>): ForecastPayload => ({
  series_id: 'NYC/P001',
  product_id: 'P001',
  store_location: 'NYC',
  category: 'Books',
  model: 'ETS',
  generated_at: '2025-03-10T00:00:00.000Z',
  horizon: 14,
  points: [],
  advice: {
    lead_time_days: 7,
    service_level: 0.95,
    on_hand: 30,
    safety_stock: 5,
    reorder_point: 20,
    stockout_date: null,
    suggested_order_qty: 0,
    ...advice,
  },
});

describe('signals', () => {
  it('make an anomaly a notification per type, product and store, saying what, where and what to check', () => {
    expect(fromAnomaly(anomaly, 'product')).toEqual({
      cause: 'price_spike|P001|NYC',
      type: 'price_spike',
      severity: 'critical',
      product_id: 'P001',
      category: 'Books',
      store_location: 'NYC',
      at: '2025-03-09T20:00:00.000Z',
      title: 'Price spike: P001 at NYC',
      message:
        'P001 (Books) at NYC was priced 80.00, 8.0 times its usual 10.00; check for a pricing or scanning error. (found by the rules detector in the report of 2025-03-09 20:00 UTC.)',
      anomaly_id: 'an-1',
    });
  });

  it('group every product of a store under one cause when configured', () => {
    expect(fromAnomaly(anomaly, 'store')).toMatchObject({
      cause: 'price_spike|*|NYC',
      title: 'Price spike at NYC',
    });
    expect(fromAnomaly(anomaly, 'store').product_id).toBeUndefined();
  });

  it('raise an expected stock-out within the window, critical within two days, and clear it otherwise', () => {
    const soon = fromForecast(
      forecast({ stockout_date: '2025-03-12', on_hand: 8, suggested_order_qty: 40.2 }),
      7,
    );
    expect(soon.raise.map((s) => [s.type, s.severity])).toEqual([
      ['stockout_expected', 'critical'],
      ['below_reorder_point', 'warning'],
    ]);
    expect(soon.raise[0]!.message).toBe(
      'P001 (Books) at NYC has 8 units and is forecast to run out on 2025-03-12, within the 7-day window (model ETS). Suggested order: 41 units. Order now or move stock from another store.',
    );
    expect(soon.clear).toEqual([]);
    expect(fromForecast(forecast({ stockout_date: '2025-03-15' }), 7).raise[0]).toMatchObject({
      severity: 'warning',
    });
    const fine = fromForecast(forecast({ stockout_date: '2025-03-30' }), 7);
    expect(fine).toEqual({
      raise: [],
      clear: ['stockout_expected|P001|NYC', 'below_reorder_point|P001|NYC'],
    });
  });

  it('say nothing for category forecasts or forecasts without advice', () => {
    const { product_id: _p, ...category } = forecast({});
    expect(fromForecast(category as ForecastPayload, 7)).toEqual({ raise: [], clear: [] });
  });
});
