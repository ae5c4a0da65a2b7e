import { describe, expect, it } from '@jest/globals';
import { IsolationModel, type Features } from './iforest.js';
import { rocAuc } from './score.js';

/** A seeded uniform generator (mulberry32), for the rows; the package's splits use Math.random. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(7);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const ordinary = (): Features => ({
  price_ratio: 0.05 * normal(),
  quantity_change: 0,
  sales_ratio: 0.3 * normal(),
  demand_vs_forecast: 0.2 * normal(),
});
const inliers = Array.from({ length: 5000 }, ordinary);
const outliers: Features[] = [
  { ...ordinary(), price_ratio: Math.log(6) },
  { ...ordinary(), quantity_change: 4 },
  { ...ordinary(), quantity_change: -3 },
  { ...ordinary(), sales_ratio: 3 },
  { ...ordinary(), demand_vs_forecast: -2.5 },
];
const options = { trees: 100, sample: 256, contamination: 0, random: seeded(1) };

describe('isolation forest', () => {
  const model = IsolationModel.fit([...inliers, ...outliers], options);

  it('scores clear outliers above ordinary rows, over 0.5 on average, and few ordinary rows over 0.5', () => {
    // the package's splits use an unseeded Math.random: bounds with room for it
    const outlierScores = outliers.map((x) => model.score(x));
    const ordinaryScores = inliers.map((x) => model.score(x));
    const p90 = [...ordinaryScores].sort((a, b) => a - b)[Math.floor(0.9 * ordinaryScores.length)]!;
    for (const s of outlierScores) expect(s).toBeGreaterThan(p90);
    expect(outlierScores.reduce((a, b) => a + b) / outlierScores.length).toBeGreaterThan(0.5);
    expect(ordinaryScores.filter((s) => s > 0.5).length / inliers.length).toBeLessThan(0.05);
    expect(rocAuc(outlierScores, ordinaryScores)).toBeGreaterThan(0.97);
  });

  it('uses the paper threshold by default and the contamination quantile when one is set', () => {
    expect(model.threshold).toBe(0.5);
    const rows = [...inliers, ...outliers];
    const strict = IsolationModel.fit(rows, { ...options, contamination: 0.001 });
    const above = rows.filter((x) => strict.score(x) > strict.threshold).length;
    expect(above).toBeLessThanOrEqual(5);
    expect(above).toBeGreaterThanOrEqual(3);
  });

  it('fits on fewer rows than a sample', () => {
    const small = IsolationModel.fit(inliers.slice(0, 40), options);
    expect(small.score(outliers[0]!)).toBeGreaterThan(small.score(inliers[0]!));
  });
});
