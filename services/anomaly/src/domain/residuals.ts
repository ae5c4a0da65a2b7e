import { where, type Finding } from './findings.js';

export interface DayDemand {
  store_location: string;
  product_id: string;
  category: string;
  date: string;
  units: number;
}

export interface ForecastBand {
  value: number;
  lower_95: number;
  upper_95: number;
}

/**
 * A complete day's demand against its forecast: outside the 95 % interval (a warning, a detection); and the
 * original system's z-score (|actual − forecast| / σ over `z`, σ from the interval's width) as information,
 * since by design it marks about one day in eight.
 */
export function residualFindings(day: DayDemand, band: ForecastBand, z: number): Finding[] {
  const findings: Finding[] = [];
  const series = `${day.store_location}/${day.product_id}:${day.date}`;
  const sd = (band.upper_95 - band.lower_95) / (2 * 1.96);
  const score = sd > 0 ? (day.units - band.value) / sd : 0;
  const what = `${where(day)} sold ${day.units} on ${day.date} against a forecast of ${band.value.toFixed(1)}`;
  if (day.units > band.upper_95 || day.units < band.lower_95) {
    const above = day.units > band.upper_95;
    findings.push({
      detector: 'forecast_residual',
      type: above ? 'demand_above_forecast' : 'demand_below_forecast',
      severity: 'warning',
      score: Math.abs(score),
      cause: `forecast_residual:interval:${series}`,
      explanation: `${what} (95 % range ${band.lower_95.toFixed(1)}–${band.upper_95.toFixed(1)}); ${above ? 'check stock for a run on the product, or a data error' : 'check the product is on the shelf and priced right'}.`,
    });
  }
  if (Math.abs(score) > z) {
    findings.push({
      detector: 'forecast_residual',
      type: 'demand_zscore',
      severity: 'info',
      score: Math.abs(score),
      cause: `forecast_residual:zscore:${series}`,
      explanation: `${what}: ${Math.abs(score).toFixed(1)} standard deviations ${score > 0 ? 'above' : 'below'} it.`,
    });
  }
  return findings;
}
