/** Syntetos, Boylan and Croston (2005): a series' demand pattern, from how often and how evenly it sells. */
export type DemandPattern = 'smooth' | 'erratic' | 'intermittent' | 'lumpy';

export interface PatternOf {
  pattern: DemandPattern;
  /** Average demand interval: days per day with a sale. */
  adi: number;
  /** Squared coefficient of variation of the sizes of the sales. */
  cv2: number;
}

/** The cut-offs of the classification (ADI 1.32, CV² 0.49), over the last `days` days. */
export function demandPattern(values: number[], days = 365): PatternOf {
  const recent = values.slice(-days);
  const sales = recent.filter((v) => v > 0);
  if (!sales.length) return { pattern: 'intermittent', adi: Infinity, cv2: 0 };
  const adi = recent.length / sales.length;
  const mean = sales.reduce((a, b) => a + b, 0) / sales.length;
  const variance = sales.reduce((s, v) => s + (v - mean) ** 2, 0) / sales.length;
  const cv2 = variance / (mean * mean);
  const pattern = adi < 1.32 ? (cv2 < 0.49 ? 'smooth' : 'erratic') : cv2 < 0.49 ? 'intermittent' : 'lumpy';
  return { pattern, adi, cv2 };
}

/** Intermittent and lumpy series run the Croston-class race; the others the full one. */
export const sparse = (p: DemandPattern) => p === 'intermittent' || p === 'lumpy';
