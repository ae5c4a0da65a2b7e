/**
 * Which partition a store's messages and state belong to, for every producer and every replica: FNV-1a (32
 * bit) over the UTF-8 bytes of `store_location`, modulo the number of partitions —
 *
 *     h = 0x811c9dc5
 *     for each byte b of UTF-8(store_location): h = ((h XOR b) × 0x01000193) mod 2^32
 *     partition = h mod N
 *
 * Written out so that producers in any language can compute it (no client library's hash is involved: a
 * Pulsar producer writes to the partition topic `<topic>-partition-<i>` this names). A store lives in one
 * partition, so every per-store computation is the same whatever N is.
 */
export function partitionOf(storeLocation: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions must be a whole number of at least 1 (got ${partitions})`);
  }
  return fnv1a(storeLocation) % partitions;
}

/** FNV-1a, 32 bit, over the UTF-8 bytes of `text` (partitionOf's hash; also a stable per-key sample). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

/** The topic that holds partition `partition` of `topic` (Pulsar's name for a partition of a partitioned topic). */
export const partitionTopic = (topic: string, partition: number) => `${topic}-partition-${partition}`;

const PARTITION = /^(.+)-partition-\d+$/;

/** The topic a partition topic belongs to (`<topic>-partition-<i>` → `<topic>`); any other name as it is. */
export const topicOfPartition = (name: string) => PARTITION.exec(name)?.[1] ?? name;

/** The store a payload belongs to, when it names one (every contract topic's payload does). */
export function storeOf(payload: unknown): string | undefined {
  const store = (payload as { store_location?: unknown } | null)?.store_location;
  return typeof store === 'string' ? store : undefined;
}

/**
 * The services that keep per-store state and so run one replica per partition (the gateway, ingest and the
 * dashboard hold none: any number of them serve every store).
 */
export const PARTITIONED_SERVICES: readonly string[] = ['processor', 'forecaster', 'anomaly', 'notifier'];
