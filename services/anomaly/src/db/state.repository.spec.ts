import { describe, expect, it } from '@jest/globals';
import { openDatabase } from '@stockpulse/service-kit';
import { migrations } from './migrations.js';
import { createStateRepository } from './state.repository.js';

describe('anomaly state', () => {
  it('numbers feature rows, keeps only the newest when pruned, and reads a window up to a row', () => {
    const db = openDatabase(':memory:', migrations);
    const state = createStateRepository(db);
    const save = (i: number) =>
      state.saveFeatures({
        event_id: `ev-${i}`,
        correlation_id: null,
        store_location: 'NYC',
        product_id: 'P001',
        event_timestamp: '2025-03-01T20:00:00.000Z',
        price_ratio: i,
        quantity_change: 0,
        sales_surprise: 0,
        score: null,
      });
    for (let i = 1; i <= 10; i++) expect(save(i)).toBe(i);
    expect(save(4)).toBeNull(); // an event scored before is not a new row
    expect(state.lastFeatureRow()).toBe(10);
    expect(state.pruneFeatures(3)).toBe(7);
    expect(state.recentFeatures(100, 10).map((f) => f.price_ratio)).toEqual([10, 9, 8]);
    expect(state.recentFeatures(2, 9).map((f) => f.price_ratio)).toEqual([9, 8]);
    expect(state.pruneFeatures(3)).toBe(0);
    expect(save(11)).toBe(11);
    db.close();
  });
});
