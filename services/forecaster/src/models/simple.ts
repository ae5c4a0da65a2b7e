import type { Model } from './types.js';

/**
 * Each day as the same weekday a week before the end: the baseline every score is relative to (MASE).
 * A series shorter than a week repeats its mean.
 */
export const seasonalNaive: Model = {
  name: 'SeasonalNaive',
  minLength: 1,
  cheap: true,
  fit({ values }) {
    if (values.length < 7) {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return { predict: (h) => Array<number>(h).fill(mean) };
    }
    const week = values.slice(-7);
    return { predict: (h) => Array.from({ length: h }, (_, i) => week[i % 7]!) };
  },
};

/**
 * The mean of the last two years: the forecast of a series with no signal to learn, and the bar every
 * other model must clear on such a series.
 */
export const mean: Model = {
  name: 'Mean',
  minLength: 1,
  cheap: true,
  fit({ values }) {
    const recent = values.slice(-730);
    const level = recent.reduce((a, b) => a + b, 0) / recent.length;
    return { predict: (h) => Array<number>(h).fill(level) };
  },
};

/**
 * TSB (Teunter, Syntetos and Babai 2011), Croston's method for intermittent demand that also lets the
 * probability of a sale decay while none happens: forecast = P(sale) × size of a sale. No maintained npm
 * package implements it; it is a dozen lines.
 */
export function tsb(alpha = 0.1, beta = 0.05): Model {
  return {
    name: 'TSB',
    minLength: 2,
    cheap: true,
    fit({ values }) {
      const first = values.findIndex((v) => v > 0);
      if (first < 0) return { predict: (h) => Array<number>(h).fill(0) };
      let size = values[first]!;
      let probability = 1 / (first + 1);
      for (const v of values.slice(first + 1)) {
        const sold = v > 0 ? 1 : 0;
        probability += beta * (sold - probability);
        if (sold) size += alpha * (v - size);
      }
      const level = probability * size;
      return { predict: (h) => Array<number>(h).fill(level) };
    },
  };
}
