import { describe, expect, it } from '@jest/globals';
import { notReadyLine, readyLine, type Platform } from './ready.js';

const aPlatform = (overrides: Partial<Platform> = {}): Platform => ({
  seconds: 8.23,
  dashboard: 'http://127.0.0.1:8080',
  api: 'http://127.0.0.1:3000',
  bus: 'embedded',
  services: 7,
  processes: 7,
  partitions: 1,
  ...overrides,
});

describe('the ready line', () => {
  it('says how long it took, where to go, the bus and how many services', () => {
    expect(readyLine(aPlatform())).toBe(
      'stockpulse ready in 8.2 s — dashboard http://127.0.0.1:8080 · API http://127.0.0.1:3000 · bus embedded · 7 services (PARTITIONS=1)',
    );
  });

  it('counts the processes when services run as replicas', () => {
    const line = readyLine(
      aPlatform({ processes: 13, partitions: 3, bus: 'pulsar pulsar://127.0.0.1:6650' }),
    );
    expect(line).toContain('· bus pulsar pulsar://127.0.0.1:6650 · 7 services, 13 processes (PARTITIONS=3)');
  });
});

describe('the not-ready line', () => {
  it('names each process that is not ready, with its last answer', () => {
    const late = [
      { name: 'forecaster', why: '503 bus: not connected' },
      { name: 'notifier#1', why: 'not listening' },
    ];
    expect(notReadyLine(late, 120, 13)).toBe(
      'stockpulse: not ready after 120 s: forecaster (503 bus: not connected), notifier#1 (not listening); the other 11 are ready',
    );
    expect(notReadyLine(late.slice(0, 1), 120, 2)).toMatch(/; the other 1 is ready$/);
  });
});
