import { describe, expect, it } from '@jest/globals';
import { partitionOf } from '@stockpulse/contracts';
import { MERGED_LISTS, mergePages, ownerOf, replicaUrls } from './fanout.js';

describe('answers from replicas', () => {
  it('finds replica i at the service port + 10 × i, and the owner of a store a query names', () => {
    expect(replicaUrls('http://127.0.0.1:3002', 3)).toEqual([
      'http://127.0.0.1:3002',
      'http://127.0.0.1:3012',
      'http://127.0.0.1:3022',
    ]);
    expect(ownerOf(new URLSearchParams('store=NYC&limit=5'), 3)).toBe(partitionOf('NYC', 3));
    expect(ownerOf(new URLSearchParams('limit=5'), 3)).toBeUndefined();
  });

  it("merges the replicas' pages in the list's order and pages them as one list", () => {
    const a = {
      items: [
        { id: 'a1', event_timestamp: '2025-03-05' },
        { id: 'a2', event_timestamp: '2025-03-02' },
      ],
      total: 2,
    };
    const b = {
      items: [
        { id: 'b1', event_timestamp: '2025-03-04' },
        { id: 'b0', event_timestamp: '2025-03-04' },
        { id: 'b2', event_timestamp: '2025-03-01' },
      ],
      total: 7,
    };
    const page = mergePages([a, b], MERGED_LISTS['/api/anomalies']!.order, 1, 3);
    expect(page.items.map((x) => x.id)).toEqual(['b0', 'b1', 'a2']);
    expect(page.total).toBe(9);
  });

  it('puts a category forecast (no product) first within its store and category, as the service does', () => {
    const page = mergePages(
      [
        { items: [{ store_location: 'A', category: 'Books', product_id: 'P2' }], total: 1 },
        {
          items: [
            { store_location: 'A', category: 'Books' },
            { store_location: 'A', category: 'Books', product_id: 'P1' },
          ],
          total: 2,
        },
      ],
      MERGED_LISTS['/api/forecasts']!.order,
      0,
      10,
    );
    expect(page.items.map((x) => x.product_id ?? '-')).toEqual(['-', 'P1', 'P2']);
  });
});
