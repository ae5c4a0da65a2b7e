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
 * A complete day's demand against its forecast. Outside the 95 % interval is a note: by construction one
 * day in twenty is, so alone it is no alarm. `alarmZ` standard deviations away (σ from the interval's width)
 * is an anomaly: by the forecast's own intervals (z = 4) about 6 days in 100,000. The original system's
 * z-score test (|z| > 1.5, one day in eight) is not kept: it listed noise.
 */
export function residualFindings(day: DayDemand, band: ForecastBand, alarmZ: number): Finding[] {
  if (day.units <= band.upper_95 && day.units >= band.lower_95) return [];
  const series = `${day.store_location}/${day.product_id}:${day.date}`;
  const sd = (band.upper_95 - band.lower_95) / (2 * 1.96);
  const z = sd > 0 ? (day.units - band.value) / sd : day.units > band.value ? Infinity : -Infinity;
  const above = z > 0;
  const what = `${where(day)} sold ${day.units} on ${day.date} against a forecast of ${band.value.toFixed(1)}`;
  const severity = Math.abs(z) >= 2 * alarmZ ? 'critical' : Math.abs(z) >= alarmZ ? 'warning' : 'info';
  return [
    {
      detector: 'forecast_residual',
      type: above ? 'demand_above_forecast' : 'demand_below_forecast',
      severity,
      score: Math.min(Math.abs(z), 1000),
      cause: `forecast_residual:interval:${series}`,
      explanation: `${what} (95 % range ${band.lower_95.toFixed(1)}–${band.upper_95.toFixed(1)}, ${Math.abs(z).toFixed(1)} standard deviations ${above ? 'above' : 'below'}); ${above ? 'check stock for a run on the product, or a data error' : 'check the product is on the shelf and priced right'}.`,
    },
  ];
}
