/**
 * `pnpm start`'s one line when the platform is up: every process polled on `/ready` until it answers 200,
 * within a bound; then the summary, or which processes were still not ready and why.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Target {
  /** `processor`, or `processor#1` for a replica. */
  name: string;
  /** Where it listens: `http://127.0.0.1:3002`. */
  url: string;
}

export interface NotReady {
  name: string;
  /** Its last answer: `503 store: …`, or `not listening`. */
  why: string;
}

/**
 * Polls every target's `/ready` every `intervalMs` until each has answered 200 or `timeoutMs` has passed;
 * resolves with those that never did. Stops early (with whatever is still waiting) when `signal` aborts.
 */
export async function awaitReady(
  targets: readonly Target[],
  { timeoutMs, intervalMs = 250, signal }: { timeoutMs: number; intervalMs?: number; signal: AbortSignal },
): Promise<NotReady[]> {
  const deadline = Date.now() + timeoutMs;
  // one listener on the caller's signal; each target's fetch and sleep listen to this one (two apiece)
  const stopped = new AbortController();
  setMaxListeners(2 * targets.length + 10, stopped.signal);
  signal.addEventListener('abort', () => stopped.abort(), { once: true });
  if (signal.aborted) stopped.abort();
  const results = await Promise.all(
    targets.map(async ({ name, url }): Promise<NotReady | undefined> => {
      let why = 'not listening';
      while (!stopped.signal.aborted) {
        try {
          const response = await fetch(`${url}/ready`, {
            signal: AbortSignal.any([stopped.signal, AbortSignal.timeout(2000)]),
          });
          if (response.ok) return void (await response.body?.cancel());
          const body = (await response.json().catch(() => ({}))) as { reason?: unknown };
          why = `${response.status}${typeof body.reason === 'string' ? ` ${body.reason}` : ''}`;
        } catch {
          why = 'not listening';
        }
        if (Date.now() + intervalMs > deadline) break;
        await sleep(intervalMs, undefined, { signal: stopped.signal }).catch(() => undefined);
      }
      return { name, why };
    }),
  );
  return results.filter((r) => r !== undefined);
}

/**
 * Waits (awaitReady) for every process, then says so: `ok` and the ready line, with the seconds since this
 * (launcher) process started; or the not-ready line after `timeoutMs`.
 */
export async function readiness(
  targets: readonly Target[],
  platform: Omit<Platform, 'seconds' | 'processes'>,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<{ ok: boolean; line: string }> {
  const late = await awaitReady(targets, options);
  if (late.length) return { ok: false, line: notReadyLine(late, options.timeoutMs / 1000, targets.length) };
  const seconds = performance.now() / 1000;
  return { ok: true, line: readyLine({ ...platform, seconds, processes: targets.length }) };
}

export interface Platform {
  seconds: number;
  dashboard: string;
  api: string;
  /** `embedded`, or `pulsar pulsar://127.0.0.1:6650`. */
  bus: string;
  services: number;
  processes: number;
  partitions: number;
}

/** `stockpulse ready in 8.2 s — dashboard http://127.0.0.1:8080 · API http://127.0.0.1:3000 · bus embedded · 7 services (PARTITIONS=1)` */
export function readyLine(p: Platform): string {
  const processes = p.processes > p.services ? `, ${p.processes} processes` : '';
  return (
    `stockpulse ready in ${p.seconds.toFixed(1)} s — dashboard ${p.dashboard} · API ${p.api} · ` +
    `bus ${p.bus} · ${p.services} services${processes} (PARTITIONS=${p.partitions})`
  );
}

/** `stockpulse: not ready after 60 s: forecaster (503 bus: …), notifier (not listening); the other 5 are ready` */
export function notReadyLine(late: readonly NotReady[], timeoutS: number, processes: number): string {
  const others = processes - late.length;
  const rest = others > 0 ? `; the other ${others} ${others === 1 ? 'is' : 'are'} ready` : '';
  return `stockpulse: not ready after ${timeoutS} s: ${late.map((l) => `${l.name} (${l.why})`).join(', ')}${rest}`;
}
