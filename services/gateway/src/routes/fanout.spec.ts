import { describe, expect, it } from '@jest/globals';
import { partitionOf } from '@stockpulse/contracts';
import {
  MERGED_LISTS,
  mergePages,
  orderOf,
  ownerOf,
  replicaUrls,
  type MergedList,
  type Page,
} from './fanout.js';

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

  describe('a sorted list', () => {
    /** Merged page `offset`/`limit` of a list, for a request's query, from each replica's first offset + limit. */
    const merged = (path: string, query: string, parts: Page[], offset: number, limit: number) => {
      const list = MERGED_LISTS[path]!;
      const order = orderOf(list, new URLSearchParams(query));
      // each replica answers its own part sorted as its service sorts (the same order), its first offset + limit
      const firsts = parts.map((p) => ({
        ...mergePages([p], order, 0, offset + limit, list.field),
        total: p.total,
      }));
      return mergePages(firsts, order, offset, limit, list.field);
    };
    const stock = (store: string, product: string, quantity: number) => ({
      store_location: store,
      product_id: product,
      quantity,
    });
    // one store's products in each of three replicas
    const parts: Page[] = [
      { items: [stock('A', 'P1', 5), stock('A', 'P2', 9), stock('A', 'P3', 5)], total: 3 },
      { items: [stock('B', 'P1', 5), stock('B', 'P2', 1)], total: 2 },
      { items: [stock('C', 'P1', 9), stock('C', 'P2', 5)], total: 2 },
    ];
    const whole = (query: string) =>
      merged('/api/inventory', query, [{ items: parts.flatMap((p) => p.items), total: 7 }], 0, 7);
    const keys = (page: Page) => page.items.map((i) => `${String(i.store_location)}/${String(i.product_id)}`);

    it("merges in the requested order, the list's own order breaking ties, each page as one replica's", () => {
      const byQuantity = ['A/P2', 'C/P1', 'A/P1', 'A/P3', 'B/P1', 'C/P2', 'B/P2'];
      expect(keys(whole('sort=-quantity'))).toEqual(byQuantity);
      // page k of three replicas is page k of the one list, whatever the page size
      for (const size of [1, 2, 3]) {
        for (let offset = 0; offset < 7; offset += size) {
          const page = merged('/api/inventory', 'sort=-quantity', parts, offset, size);
          expect(keys(page)).toEqual(byQuantity.slice(offset, offset + size));
          expect(page.total).toBe(7);
        }
      }
      expect(keys(merged('/api/inventory', 'sort=product_id,-store_location', parts, 2, 3))).toEqual([
        'A/P1',
        'C/P2',
        'B/P2',
      ]);
    });

    it('merges in the default order without sort, and leaves a sort it cannot read to the services', () => {
      expect(keys(merged('/api/inventory', '', parts, 0, 3))).toEqual(['A/P1', 'A/P2', 'A/P3']);
      expect(orderOf(MERGED_LISTS['/api/inventory']!, new URLSearchParams('sort=,'))).toBe(
        MERGED_LISTS['/api/inventory']!.order,
      );
      // names are the services' to judge: the gateway reads any
      expect(orderOf(MERGED_LISTS['/api/inventory']!, new URLSearchParams('sort=-colour'))).toEqual([
        ['colour', -1],
        ['store_location', 1],
        ['product_id', 1],
      ]);
    });

    it('sorts severity by rank and a forecast by its advice, as the services do', () => {
      const anomaly = (id: string, severity: string, at: string) => ({ id, severity, event_timestamp: at });
      const anomalies = merged(
        '/api/anomalies',
        'sort=-severity',
        [
          {
            items: [anomaly('a', 'warning', '2025-03-02'), anomaly('b', 'critical', '2025-03-01')],
            total: 2,
          },
          {
            items: [anomaly('c', 'critical', '2025-03-03'), anomaly('d', 'warning', '2025-03-04')],
            total: 2,
          },
        ],
        0,
        4,
      );
      expect(anomalies.items.map((a) => a.id)).toEqual(['c', 'b', 'd', 'a']);
      const forecast = (store: string, product: string | undefined, reorderPoint?: number) => ({
        store_location: store,
        category: 'Books',
        ...(product ? { product_id: product } : {}),
        ...(reorderPoint !== undefined ? { advice: { reorder_point: reorderPoint } } : {}),
      });
      const forecasts = merged(
        '/api/forecasts',
        'sort=-reorder_point',
        [
          { items: [forecast('A', 'P1', 40), forecast('A', undefined)], total: 2 },
          { items: [forecast('B', 'P1', 53.1), forecast('B', 'P2', 40)], total: 2 },
        ],
        0,
        4,
      );
      expect(
        forecasts.items.map(
          (f) => `${String(f.store_location)}/${(f.product_id as string | undefined) ?? '-'}`,
        ),
      ).toEqual(['B/P1', 'A/P1', 'B/P2', 'A/-']);
    });

    it('writes a merged CSV purchase list as the forecaster writes it', () => {
      const list: MergedList = MERGED_LISTS['/api/replenishment']!;
      const row = (store: string, product: string, orderBy: string) => ({
        store_location: store,
        product_id: product,
        order_by: orderBy,
      });
      const all = merged(
        '/api/replenishment',
        '',
        [
          { items: [row('A', 'P2', '2025-03-01'), row('A', 'P1', '2025-03-04')], total: 2 },
          { items: [row('B', '=P1', '2025-03-01')], total: 1 },
        ],
        0,
        Infinity,
      ).items;
      const csv = list.csv!.write(all).split('\r\n');
      expect(csv[1]!.startsWith('"A","P2",""')).toBe(true);
      expect(csv[2]!.startsWith(`"B","'=P1",""`)).toBe(true);
      expect(csv[3]!.startsWith('"A","P1",""')).toBe(true);
      expect(csv).toHaveLength(5);
      expect(list.csv!.disposition).toBe('attachment; filename="replenishment.csv"');
    });
  });
});
