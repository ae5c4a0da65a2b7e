import { describe, expect, it } from '@jest/globals';
import { bias, coverage, mase, naiveScale, rmse, smape, wape } from './metrics.js';

describe('forecast metrics, against values computed by hand', () => {
  const actual = [10, 0, 20, 30];
  const forecast = [12, 0, 15, 30];

  it('MASE divides the MAE by the in-sample seasonal naive MAE', () => {
    // lag-7 naive on 9 days: |8-1| + |9-2| = 14 over 2 → 7
    expect(naiveScale([1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(7);
    // MAE = (2 + 0 + 5 + 0) / 4 = 1.75
    expect(mase(actual, forecast, 7)).toBeCloseTo(0.25, 10);
    // short series: lag 1
    expect(naiveScale([1, 3, 6])).toBe(2.5);
  });

  it('WAPE, bias and RMSE', () => {
    expect(wape(actual, forecast)).toBeCloseTo((100 * 7) / 60, 10);
    expect(bias(actual, forecast)).toBeCloseTo(-0.75, 10);
    expect(rmse(actual, forecast)).toBeCloseTo(Math.sqrt((4 + 0 + 25 + 0) / 4), 10);
  });

  it('SMAPE counts a day with nothing sold and nothing forecast as no error', () => {
    // 2/11 + 0 + 5/17.5 + 0, over 4, in %
    expect(smape(actual, forecast)).toBeCloseTo((100 * (2 / 11 + 5 / 17.5)) / 4, 10);
    expect(smape([0, 0], [0, 5])).toBe(100);
  });

  it('coverage is the share of days inside the interval, bounds included', () => {
    expect(coverage([1, 5, 9, 3], [0, 5, 0, 4], [2, 6, 8, 9])).toBe(50);
  });

  it('scales of zero give NaN MASE unless the forecast is exact', () => {
    expect(mase([0, 0], [0, 0], 0)).toBe(0);
    expect(mase([0, 1], [0, 0], 0)).toBeNaN();
  });
});
