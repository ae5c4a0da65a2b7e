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

/** CPU time a process has used so far, every thread, user and system, in seconds (Linux /proc). */
export function cpuSeconds(pid: number): number {
  try {
    // the fields after the command name, which sits in parentheses and may hold spaces
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** CPU seconds used so far by every service of the platform, by name. */
export function cpuOfServices(platform: Platform): Map<string, number> {
  return new Map(platform.names.map((name) => [name, cpuSeconds(platform.pid(name))]));
}

/**
 * Peak RSS of every service of the platform over one phase (peaks reset first), and the CPU time each used
 * in it; per 1,000 events when the phase handles `events`, which shows where a pipeline's time goes.
 */
export async function withProcessStats<T>(
  platform: Platform,
  phase: string,
  run: () => Promise<T>,
  events?: number,
  /** Processes outside the platform to count too (the Pulsar broker), by name. */
  others: Record<string, number> = {},
): Promise<T> {
  const pids = new Map([
    ...platform.names.map((name) => [name, platform.pid(name)] as const),
    ...Object.entries(others),
  ]);
  const cpu = new Map<string, number>();
  for (const [name, pid] of pids) {
    resetPeak(pid);
    cpu.set(name, cpuSeconds(pid));
  }
  const result = await run();
  for (const [name, pid] of pids) {
    const used = cpuSeconds(pid) - cpu.get(name)!;
    report({ bench: 'memory', name: `${name} peak RSS during ${phase}`, value: peakRssMb(pid), unit: 'MB' });
    report({
      bench: 'cpu',
      name: events ? `${name} CPU per 1,000 events during ${phase}` : `${name} CPU during ${phase}`,
      value: events ? (1000 * 1000 * used) / events : used,
      unit: events ? 'ms' : 's',
    });
  }
  return result;
}
