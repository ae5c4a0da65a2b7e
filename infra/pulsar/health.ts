import { PulsarAdmin } from '@stockpulse/bus';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { LocalPulsarError } from './jars.js';

/**
 * Waits until the broker is healthy — a message round trip through it succeeds (its own health check) and the
 * standalone has made `public/default` — telling `progress` every 5 s; fails at once, with the most telling
 * line of its log, when the process ends first (a SIGTERM then means a Ctrl-C stopped the start).
 */
export async function awaitHealthy(
  child: ChildProcess,
  adminUrl: string,
  logFile: string,
  timeoutMs: number,
  progress: (line: string) => void,
): Promise<void> {
  const admin = new PulsarAdmin(adminUrl, 5000);
  const started = Date.now();
  let told = started;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new LocalPulsarError(
        child.signalCode === 'SIGTERM'
          ? 'stopped before it was ready'
          : `the broker exited (${child.signalCode ?? `code ${child.exitCode}`}) while starting: ${why(logFile)}`,
      );
    if (await healthy(admin)) {
      progress(`broker ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return;
    }
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new LocalPulsarError(`the broker was not healthy within ${timeoutMs / 1000} s: ${why(logFile)}`);
    }
    if (Date.now() - told >= 5000) {
      told = Date.now();
      progress(`  … still starting (${Math.round((told - started) / 1000)} s)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function healthy(admin: PulsarAdmin): Promise<boolean> {
  try {
    await admin.health();
    return (await admin.namespaces('public')).includes('public/default');
  } catch {
    return false;
  }
}

/** The most telling line of the broker's log: its last error, else its last line. */
function why(logFile: string): string {
  if (!existsSync(logFile)) return 'no log was written';
  const lines = readFileSync(logFile, 'utf8').trim().split('\n');
  // (BookKeeper logs an ERROR on every first start that says it is fine)
  const error = lines.findLast(
    (l) => (/ (ERROR|FATAL) /.test(l) || /Exception:/.test(l)) && !l.includes('this is okay'),
  );
  return `${(error ?? lines.at(-1) ?? '').slice(0, 400)} (log: ${logFile})`;
}
