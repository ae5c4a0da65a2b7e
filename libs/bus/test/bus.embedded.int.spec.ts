import { describe } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { EmbeddedBus, type EmbeddedBusOptions } from '../src/index.js';
import { createPruner } from '../src/embedded/retention.js';
import { busContractSuite } from './bus-contract.suite.js';
import { tempDir } from './helpers.js';

/** Short leases and polls, so takeovers and wake-ups happen within a test's time. */
const TEST_TIMING: Partial<EmbeddedBusOptions> = { pollMs: 5, leaseMs: 5000, rebalanceMs: 100 };

describe('EmbeddedBus contract', () => {
  busContractSuite(async () => {
    const dir = tempDir('stockpulse-bus-');
    const path = join(dir.path, 'bus.db');
    const open = async (options: Partial<EmbeddedBusOptions> = {}) =>
      new EmbeddedBus({ path, ...TEST_TIMING, ...options });
    const raw = new Database(path);
    let retentionMs = 3_600_000;
    return {
      name: 'embedded',
      open: () => open(),
      async publishRaw(topic, body, key) {
        raw
          .prepare(
            'INSERT INTO messages (topic, key, published_at, properties, body) VALUES (?, ?, ?, NULL, ?)',
          )
          .run(topic, key, Date.now(), body);
      },
      childEnv: { TEST_BUS_KIND: 'embedded', TEST_BUS_PATH: path },
      async partitioned() {
        // a bus file of its own: the first client to use a topic records its partition count
        const own = tempDir('stockpulse-bus-partitions-');
        const file = join(own.path, 'bus.db');
        return {
          open: async (partitions: number) => new EmbeddedBus({ path: file, ...TEST_TIMING, partitions }),
          close: async () => own.remove(),
        };
      },
      retention: {
        open: (ms) => {
          retentionMs = ms;
          return open({ retentionMs: ms });
        },
        prune: () => createPruner(raw, retentionMs, 1)(Date.now(), true),
        stored: (topic) =>
          raw
            .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM messages WHERE topic = ?')
            .get(topic)!.n,
      },
      async close() {
        raw.close();
        dir.remove();
      },
    };
  });
});
