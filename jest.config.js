/**
 * One jest run for the whole workspace, in ESM mode: @bsull/augurs-prophet-wasmstan (the forecaster's Prophet)
 * uses top-level await and loads only as ESM, so the repository is ESM throughout (see README, "Module system").
 * Workspace packages resolve to their TypeScript sources through the `@stockpulse/source` export condition.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['@stockpulse/source', 'node', 'node-addons'] },
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/tests', '<rootDir>/infra'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  testTimeout: 30_000,
  // what a test file started and did not stop (a beforeAll that timed out) is stopped after it
  setupFilesAfterEnv: ['<rootDir>/tests/support/stop-live.ts'],
  // a local Pulsar broker for the Pulsar legs when PULSAR_URL is not set (tests/support/pulsar-global.ts)
  globalSetup: '<rootDir>/tests/support/pulsar-global.mjs',
  globalTeardown: '<rootDir>/tests/support/pulsar-global-teardown.mjs',
  // child processes and SQLite files: two workers on two cores keep the machine responsive
  maxWorkers: 2,
};
