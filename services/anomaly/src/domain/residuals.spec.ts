import { describe, expect, it } from '@jest/globals';
import { residualFindings } from './residuals.js';

const day = { store_location: 'NYC', product_id: 'P001', category: 'Books', date: '2025-03-02' };
// σ = (17.84 − 2.16) / 3.92 = 4
const band = { value: 10, lower_95: 2.16, upper_95: 17.84 };

describe('forecast residuals', () => {
  it('alarms on demand four standard deviations above the forecast, critical from eight', () => {
    expect(residualFindings({ ...day, units: 30 }, band, 4)).toEqual([
      {
        detector: 'forecast_residual',
        type: 'demand_above_forecast',
        severity: 'warning',
        score: 5,
        cause: 'forecast_residual:interval:NYC/P001:2025-03-02',
        explanation:
          'P001 (Books) at NYC sold 30 on 2025-03-02 against a forecast of 10.0 (95 % range 2.2–17.8, 5.0 standard deviations above); check stock for a run on the product, or a data error.',
      },
    ]);
    expect(residualFindings({ ...day, units: 50 }, band, 4)[0]).toMatchObject({
      severity: 'critical',
      score: 10,
    });
  });

  it('notes a day outside the 95 % interval but closer than the alarm, and says nothing inside it', () => {
    expect(residualFindings({ ...day, units: 20 }, band, 4)).toEqual([
      expect.objectContaining({ type: 'demand_above_forecast', severity: 'info', score: 2.5 }),
    ]);
    expect(residualFindings({ ...day, units: 3 }, band, 4)).toEqual([]);
    expect(residualFindings({ ...day, units: 17 }, band, 4)).toEqual([]);
  });

  it('judges demand below the interval alike, and a zero-width interval without dividing by zero', () => {
    expect(
      residualFindings({ ...day, units: 0 }, { value: 20, lower_95: 8, upper_95: 32 }, 4)[0],
    ).toMatchObject({
      type: 'demand_below_forecast',
      severity: 'info',
      score: expect.closeTo(3.267, 3),
    });
    expect(
      residualFindings({ ...day, units: 3 }, { value: 0, lower_95: 0, upper_95: 0 }, 4)[0],
    ).toMatchObject({
      severity: 'critical',
      score: 1000,
    });
  });
});
