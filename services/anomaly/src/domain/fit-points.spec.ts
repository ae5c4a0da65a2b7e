import { describe, expect, it } from '@jest/globals';
import { isFitPoint, lastFitPoint } from './fit-points.js';

describe('the forest fit points', () => {
  it('doubles from the minimum while young, then comes every so many events', () => {
    const points = Array.from({ length: 20_000 }, (_, i) => i + 1).filter((r) => isFitPoint(r, 500, 5000));
    expect(points).toEqual([500, 1000, 2000, 4000, 5000, 10_000, 15_000, 20_000]);
  });

  it('finds the fit point a restarted service resumes from', () => {
    expect(lastFitPoint(499, 500, 5000)).toBe(0);
    expect(lastFitPoint(500, 500, 5000)).toBe(500);
    expect(lastFitPoint(3999, 500, 5000)).toBe(2000);
    expect(lastFitPoint(4999, 500, 5000)).toBe(4000);
    expect(lastFitPoint(12_345, 500, 5000)).toBe(10_000);
  });
});
