import { describe, expect, it } from '@jest/globals';
import { hashKey, laneOf } from './lane-of.js';

describe('laneOf', () => {
  it('spreads similar keys over every lane of a key_shared subscription', () => {
    const lanes = new Set(
      Array.from({ length: 200 }, (_, i) =>
        laneOf('key_shared', 16, 0, `NYC/P${String(i).padStart(3, '0')}`),
      ),
    );
    expect(lanes.size).toBe(16);
  });

  it('puts one key in one lane whatever its position', () => {
    expect(laneOf('key_shared', 16, 1, 'LA/P7')).toBe(laneOf('key_shared', 16, 999, 'LA/P7'));
  });

  it('deals shared messages round robin and keeps exclusive in one lane', () => {
    expect([16, 17, 18].map((seq) => laneOf('shared', 16, seq, 'k'))).toEqual([0, 1, 2]);
    expect(laneOf('exclusive', 1, 17, 'k')).toBe(0);
  });

  it('never changes between releases: lanes of messages in flight depend on it', () => {
    expect([hashKey('NYC/P001'), hashKey('')]).toEqual([1941850593, 2872998923]);
  });
});
