import base from './jest.config.js';

/**
 * `pnpm test:scale`: the partitions' proof (the same events through PARTITIONS=1 and 3, a re-partition 3 → 4, on
 * each bus) and the dashboard at catalogue scale (3,000 products). Each of them loads two cores for minutes (up to
 * eighteen processes; a forecaster working through thousands of series), so these run one at a time, apart from
 * `pnpm test`: beside other platform tests their services, and the others', missed their timeouts.
 */
export default { ...base, roots: ['<rootDir>/tests/scale'], testMatch: ['**/*.scale.ts'], maxWorkers: 1 };
