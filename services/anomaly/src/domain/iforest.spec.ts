import { describe, expect, it } from '@jest/globals';
import { averagePathLength, IsolationModel, type Features } from './iforest.js';
import { seeded } from './random.js';
import { rocAuc } from './score.js';

const random = seeded(7);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const ordinary = (): Features => ({
  price_ratio: 0.05 * normal(),
  quantity_change: 0.02 * normal(),
  sales_surprise: 0.3 * normal(),
});
const inliers = Array.from({ length: 5000 }, ordinary);
const outliers: Features[] = [
  { ...ordinary(), price_ratio: Math.log(6) },
  { ...ordinary(), quantity_change: 4 },
  { ...ordinary(), quantity_change: -3 },
  { ...ordinary(), sales_surprise: 3 },
  { ...ordinary(), price_ratio: -1.5 },
];
const options = { trees: 100, sample: 256, share: 0.5, random: seeded(1) };

describe('isolation forest', () => {
  const model = IsolationModel.fit([...inliers, ...outliers], options);

  it('scores clear outliers above ordinary rows and over 0.5 on average', () => {
    const outlierScores = outliers.map((x) => model.score(x));
    const ordinaryScores = inliers.map((x) => model.score(x));
    const p90 = [...ordinaryScores].sort((a, b) => a - b)[Math.floor(0.9 * ordinaryScores.length)]!;
    for (const s of outlierScores) expect(s).toBeGreaterThan(p90);
    expect(outlierScores.reduce((a, b) => a + b) / outlierScores.length).toBeGreaterThan(0.5);
    // as with scikit-learn, the tails of ordinary Gaussian data also score over 0.5 (here about a fifth)
    expect(ordinaryScores.filter((s) => s > 0.5).length / inliers.length).toBeLessThan(0.3);
    expect(ordinaryScores.filter((s) => s > 0.65).length / inliers.length).toBeLessThan(0.01);
    expect(rocAuc(outlierScores, ordinaryScores)).toBeGreaterThan(0.97);
  });

  it("sets its threshold at the training scores' quantile for the share asked for", () => {
    const rows = [...inliers, ...outliers];
    const strict = IsolationModel.fit(rows, { ...options, share: 0.001 });
    const above = rows.filter((x) => strict.score(x) > strict.threshold).length;
    expect(above).toBeLessThanOrEqual(5);
    expect(above).toBeGreaterThanOrEqual(3);
  });

  it('never splits on a feature constant in training, and treats both sides of it alike', () => {
    const clean = IsolationModel.fit(
      inliers.map((x) => ({ ...x, quantity_change: 0 })),
      options,
    );
    const base = { ...inliers[0]!, quantity_change: 0 };
    const up = clean.score({ ...base, quantity_change: 4 });
    const down = clean.score({ ...base, quantity_change: -4 });
    expect(up).toBe(clean.score(base)); // the trees never split on a constant feature…
    expect(down).toBe(up); // …so both sides are treated alike (the isolation-forest package isolates only one)
  });

  it('computes c(n) as the paper does', () => {
    expect(averagePathLength(256)).toBeCloseTo(10.2448, 3);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(1)).toBe(0);
  });

  it('fits on fewer rows than a sample', () => {
    const small = IsolationModel.fit(inliers.slice(0, 40), options);
    const typical = inliers.slice(40, 240).map((x) => small.score(x));
    const median = [...typical].sort((a, b) => a - b)[100]!;
    for (const x of outliers) expect(small.score(x)).toBeGreaterThan(median);
  });

  it('grows the same trees from the same seed, and others from another', () => {
    const rows = [...inliers, ...outliers];
    const again = IsolationModel.fit(rows, { ...options, random: seeded(1) });
    const other = IsolationModel.fit(rows, { ...options, random: seeded(2) });
    const a = IsolationModel.fit(rows, { ...options, random: seeded(1) });
    const scores = (m: IsolationModel) => rows.slice(0, 200).map((x) => m.score(x));
    expect(scores(again)).toEqual(scores(a));
    expect(again.threshold).toBe(a.threshold);
    expect(scores(other)).not.toEqual(scores(a));
  });
});
