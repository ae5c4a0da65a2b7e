import base from './jest.config.js';

/**
 * `pnpm test:scale`: the partitions' proof (the same events through PARTITIONS=1 and 3, a re-partition 3 → 4, on
 * each bus). Each platform there runs up to eighteen processes, so these run one at a time, apart from
 * `pnpm test`: beside other platform tests on two cores their services missed start-up timeouts.
 */
export default { ...base, roots: ['<rootDir>/tests/scale'], testMatch: ['**/*.scale.ts'], maxWorkers: 1 };
