import { describe, expect, it } from '@jest/globals';
import { residualFindings } from './residuals.js';

const day = { store_location: 'NYC', product_id: 'P001', category: 'Books', date: '2025-03-02' };
// σ = (17.84 − 2.16) / 3.92 = 4
const band = { value: 10, lower_95: 2.16, upper_95: 17.84 };

describe('forecast residuals', () => {
  it('flags demand above the 95 % interval, and reports its z-score as information', () => {
    expect(residualFindings({ ...day, units: 30 }, band, 1.5)).toEqual([
      {
        detector: 'forecast_residual',
        type: 'demand_above_forecast',
        severity: 'warning',
        score: 5,
        cause: 'forecast_residual:interval:NYC/P001:2025-03-02',
        explanation:
          'P001 (Books) at NYC sold 30 on 2025-03-02 against a forecast of 10.0 (95 % range 2.2–17.8); check stock for a run on the product, or a data error.',
      },
      expect.objectContaining({ type: 'demand_zscore', severity: 'info', score: 5 }),
    ]);
  });

  it('reports only the z-score inside the interval, and nothing close to the forecast', () => {
    expect(residualFindings({ ...day, units: 3 }, band, 1.5)).toEqual([
      expect.objectContaining({
        type: 'demand_zscore',
        score: 1.75,
        explanation:
          'P001 (Books) at NYC sold 3 on 2025-03-02 against a forecast of 10.0: 1.8 standard deviations below it.',
      }),
    ]);
    expect(residualFindings({ ...day, units: 12 }, band, 1.5)).toEqual([]);
  });

  it('flags demand below the interval', () => {
    expect(
      residualFindings({ ...day, units: 0 }, { value: 20, lower_95: 8, upper_95: 32 }, 1.5)[0],
    ).toMatchObject({
      type: 'demand_below_forecast',
    });
  });
});
