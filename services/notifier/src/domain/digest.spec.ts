import { describe, expect, it } from '@jest/globals';
import { digestOf, hasHeld, type Condition } from './digest.js';
import type { Severity } from './signals.js';

const condition = (
  product: string,
  severity: Severity,
  summary: string,
  last = '2025-03-10T00:00:00.000Z',
): Condition => ({
  cause: `below_reorder_point|${product}|NYC`,
  type: 'below_reorder_point',
  store_location: 'NYC',
  product_id: product,
  severity,
  first_at: '2025-03-09T00:00:00.000Z',
  last_at: last,
  observations: 2,
  fired: 1,
  signal: { summary } as Condition['signal'],
});

describe('a store digest', () => {
  it('lists its products, most severe first, with the worst severity and the latest time', () => {
    const d = digestOf('below_reorder_point', 'NYC', [
      condition('P2', 'warning', 'P2 (Books) 3 on hand, reorder point 10'),
      condition('P1', 'critical', 'P1 (Toys) 0 on hand, reorder point 8', '2025-03-11T00:00:00.000Z'),
      condition('P3', 'warning', 'P3 (Books) 1 on hand, reorder point 4'),
    ]);
    expect(d).toMatchObject({
      cause: 'below_reorder_point|*|NYC',
      severity: 'critical',
      at: '2025-03-11T00:00:00.000Z',
      title: 'Below reorder point: 3 products at NYC',
      message:
        '3 products at NYC: P1 (Toys) 0 on hand, reorder point 8; P2 (Books) 3 on hand, reorder point 10; P3 (Books) 1 on hand, reorder point 4.',
      summary: 'P1,P2,P3',
    });
  });

  it('stays within the contract’s 4,000 characters at any number of products, counting the rest', () => {
    const many = Array.from({ length: 250 }, (_, i) =>
      condition(`P${1000 + i}`, 'warning', `P${1000 + i} (Household) ${i} on hand, reorder point 999`),
    );
    const d = digestOf('below_reorder_point', 'NYC', many);
    expect(d.message.length).toBeLessThanOrEqual(4000);
    expect(d.message).toMatch(/; and 210 more\.$/);
    expect(d.title).toBe('Below reorder point: 250 products at NYC');
    expect(d.summary!.split(',')).toHaveLength(250);
  });
});

describe('the pending period', () => {
  const seen = (observations: number, minutes: number): Condition => ({
    ...condition('P1', 'warning', ''),
    observations,
    first_at: '2025-03-10T00:00:00.000Z',
    last_at: new Date(Date.parse('2025-03-10T00:00:00.000Z') + minutes * 60_000).toISOString(),
  });

  it('needs both the observations and the time', () => {
    const pending = { observations: 3, ms: 10 * 60_000 };
    expect(hasHeld(seen(2, 30), pending)).toBe(false);
    expect(hasHeld(seen(3, 9), pending)).toBe(false);
    expect(hasHeld(seen(3, 10), pending)).toBe(true);
    expect(hasHeld(seen(1, 0), { observations: 1, ms: 0 })).toBe(true);
  });
});
