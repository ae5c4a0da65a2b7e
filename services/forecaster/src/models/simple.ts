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

/** Positions of the days with a sale, and the sizes sold on them. */
function demandEvents(values: number[]) {
  const at: number[] = [];
  values.forEach((v, i) => v > 0 && at.push(i));
  return at;
}

/**
 * Croston's method with the Syntetos–Boylan correction (SBA, 2005): sizes of sales and intervals between
 * them smoothed apart, forecast (1 − α/2) × size / interval. For intermittent demand, where a smoothed
 * daily level chases the zeros. Hand-written for the same reason as TSB.
 */
export function croston(alpha = 0.1): Model {
  return {
    name: 'Croston',
    minLength: 2,
    cheap: true,
    fit({ values }) {
      const at = demandEvents(values);
      if (!at.length) return { predict: (h) => Array<number>(h).fill(0) };
      let size = values[at[0]!]!;
      let interval = at[0]! + 1;
      for (let j = 1; j < at.length; j++) {
        size += alpha * (values[at[j]!]! - size);
        interval += alpha * (at[j]! - at[j - 1]! - interval);
      }
      const level = ((1 - alpha / 2) * size) / interval;
      return { predict: (h) => Array<number>(h).fill(level) };
    },
  };
}

/**
 * ADIDA (Nikolopoulos et al. 2011): demand summed over buckets as long as the mean interval between sales,
 * where it is no longer intermittent, smoothed there (simple exponential smoothing), and spread back evenly
 * over the days of a bucket.
 */
export function adida(alpha = 0.1): Model {
  return {
    name: 'ADIDA',
    minLength: 2,
    cheap: true,
    fit({ values }) {
      const at = demandEvents(values);
      if (!at.length) return { predict: (h) => Array<number>(h).fill(0) };
      const size = Math.max(1, Math.round(values.length / at.length));
      const buckets: number[] = [];
      // whole buckets that end on the last day
      for (let end = values.length; end - size >= 0; end -= size)
        buckets.unshift(values.slice(end - size, end).reduce((a, b) => a + b, 0));
      let level = buckets[0] ?? 0;
      for (const b of buckets.slice(1)) level += alpha * (b - level);
      return { predict: (h) => Array<number>(h).fill(level / size) };
    },
  };
}
