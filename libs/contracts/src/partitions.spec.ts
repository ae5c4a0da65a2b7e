import { describe, expect, it } from '@jest/globals';
import { partitionOf, partitionTopic, storeOf, topicOfPartition } from './partitions.js';

describe('partitions', () => {
  it('is FNV-1a over the UTF-8 bytes of the store, modulo N (values another producer can check against)', () => {
    // FNV-1a 32-bit of "" is 0x811c9dc5 = 2166136261; of "a" 0xe40c292c = 3826002220
    expect(partitionOf('', 1_000_000_007)).toBe(2166136261 % 1_000_000_007);
    expect(partitionOf('a', 2 ** 31 - 1)).toBe(3826002220 % (2 ** 31 - 1));
    // pinned: a change of the hash would move every store's state to another replica
    expect(['NYC', 'Leeds Kirkstall', 'store-1', 'Zürich'].map((s) => partitionOf(s, 3))).toEqual([
      2, 1, 1, 2,
    ]);
    expect(partitionOf('anything', 1)).toBe(0);
  });

  it('spreads stores over the partitions', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[partitionOf(`store-${i}`, 3)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(900);
  });

  it('refuses a partition count that is not a whole number of at least 1', () => {
    expect(() => partitionOf('NYC', 0)).toThrow(/at least 1/);
    expect(() => partitionOf('NYC', 1.5)).toThrow(/whole number/);
  });

  it("names partition topics as Pulsar does, and finds a payload's store", () => {
    expect(partitionTopic('stockpulse.inventory-events', 2)).toBe('stockpulse.inventory-events-partition-2');
    expect(storeOf({ store_location: 'NYC', product_id: 'P1' })).toBe('NYC');
    expect(topicOfPartition('stockpulse.inventory-events-partition-12')).toBe('stockpulse.inventory-events');
    expect(topicOfPartition('stockpulse.inventory-events.processor.dlq')).toBe(
      'stockpulse.inventory-events.processor.dlq',
    );
    expect(storeOf({ n: 1 })).toBeUndefined();
  });
});
