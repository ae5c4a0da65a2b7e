import { describe, expect, it } from '@jest/globals';
import { openDatabase } from '@stockpulse/service-kit';
import { migrations } from './migrations.js';
import { createStateRepository } from './state.repository.js';

describe('anomaly state', () => {
  it('keeps only the newest feature rows when pruned', () => {
    const db = openDatabase(':memory:', migrations);
    const state = createStateRepository(db);
    for (let i = 1; i <= 10; i++) {
      state.saveFeatures({
        event_id: `ev-${i}`,
        correlation_id: null,
        price_ratio: i,
        quantity_change: 0,
        sales_surprise: 0,
        score: null,
      });
    }
    expect(state.pruneFeatures(3)).toBe(7);
    expect(state.recentFeatures(100).map((f) => f.price_ratio)).toEqual([10, 9, 8]);
    expect(state.pruneFeatures(3)).toBe(0);
    db.close();
  });
});
