import type { SubscriptionType } from '../port.js';

/**
 * FNV-1a over UTF-16 code units, then murmur3's finaliser: FNV alone leaves the low bits of similar keys
 * (`NYC/P001`, `NYC/P002`) nearly equal, which would put them all in a few lanes. Stable across processes.
 */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Which lane of a subscription a message belongs to. */
export function laneOf(type: SubscriptionType, lanes: number, seq: number, key: string): number {
  if (type === 'exclusive' || lanes === 1) return 0;
  return (type === 'key_shared' ? hashKey(key) : seq) % lanes;
}
