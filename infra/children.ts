import type { ChildProcess } from 'node:child_process';

const ended = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Resolves with the exit code once the child has ended (at once when it already has; null after a signal). */
export function exited(child: ChildProcess): Promise<number | null> {
  if (ended(child)) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when a signal ended it). */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<number | null> {
  if (ended(child)) return child.exitCode;
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const code = await done;
  clearTimeout(timer);
  return code;
}

/** Polls `url` until it answers 200; fails when `child` ends first or after `timeoutMs`. */
export async function readyWithin(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (ended(child))
      throw new Error(
        `${url}: the process ended (${child.signalCode ?? child.exitCode}) before it was ready`,
      );
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
