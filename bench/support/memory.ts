import { readFileSync, writeFileSync } from 'node:fs';
import type { Platform } from '../../tests/support/platform.js';
import { report } from './report.js';

/** Peak resident memory of a process so far (VmHWM), in MB; NaN where /proc is not there. */
export function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Starts a new peak for the process (Linux: writing 5 to clear_refs resets VmHWM to the current RSS). */
export function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not Linux, or not allowed: the peak then counts from the process's start
  }
}

/** The peaks of every service of the platform over one phase: reset them, run the phase, report them. */
export async function withPeakRss<T>(platform: Platform, phase: string, run: () => Promise<T>): Promise<T> {
  for (const name of platform.names) resetPeak(platform.pid(name));
  const result = await run();
  for (const name of platform.names) {
    report({
      bench: 'memory',
      name: `${name} peak RSS during ${phase}`,
      value: peakRssMb(platform.pid(name)),
      unit: 'MB',
    });
  }
  return result;
}
