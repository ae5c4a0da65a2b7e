import base from './jest.config.js';

/**
 * `pnpm test:scale`: the partitions' proof (the same events through PARTITIONS=1 and 3, a re-partition 3 → 4, on
 * each bus) and the dashboard at catalogue scale (3,000 products). Each of them loads two cores for minutes (up to
 * eighteen processes; a forecaster working through thousands of series), so they run apart from `pnpm test`:
 * beside the other platform tests their services, and the others', missed their timeouts.
 */
// two at a time: one at a time, the pass took 11 of CI's 30 minutes
export default { ...base, roots: ['<rootDir>/tests/scale'], testMatch: ['**/*.scale.ts'], maxWorkers: 2 };
