import base from './jest.config.js';

/** `pnpm test:soak`: the long crash test (minutes), apart from `pnpm test`. */
export default { ...base, roots: ['<rootDir>/tests/soak'], testMatch: ['**/*.soak.ts'], maxWorkers: 1 };
