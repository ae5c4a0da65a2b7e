import { afterAll } from '@jest/globals';
import { stopLive } from './live.js';

// after every test file: whatever it started and did not stop (tests/support/live.ts)
afterAll(() => stopLive(), 120_000);
