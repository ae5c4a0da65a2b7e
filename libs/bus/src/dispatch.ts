import { decodeEnvelope, type UnknownEnvelope } from '@stockpulse/contracts';
import type { BusObserver, Handler, RetryPolicy } from './port.js';

/** What the adapter must do with a message after one delivery. */
export type Outcome =
  | { kind: 'ack' }
  | { kind: 'retry'; error: string; delayMs: number }
  | { kind: 'dead'; error: string; attempts: number };

export interface RawMessage {
  key: string;
  body: string | Buffer;
  properties: Record<string, string>;
}

/** Capped exponential backoff with ±10 % jitter, so consumers that failed together do not retry together. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const exponential = policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(Math.min(policy.backoffMaxMs, exponential) * (0.9 + 0.2 * random()));
}

export const errorText = (err: unknown): string =>
  (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 2000);

/**
 * One delivery, the same for every adapter: decode and validate, run the handler, decide.
 * An invalid message is dead-lettered at once (no retry can fix it); a throwing handler is retried with
 * backoff until `maxAttempts`, then dead-lettered with its last error.
 */
export async function dispatch(
  target: { topic: string; subscription: string },
  raw: RawMessage,
  attempt: number,
  policy: RetryPolicy,
  handler: Handler,
  observer: BusObserver | undefined,
): Promise<Outcome> {
  const started = performance.now();
  const outcome = await run();
  observer?.handled?.({
    ...target,
    outcome: outcome.kind === 'ack' ? 'acked' : outcome.kind === 'retry' ? 'retried' : 'dead_lettered',
    attempt,
    seconds: (performance.now() - started) / 1000,
  });
  return outcome;

  async function run(): Promise<Outcome> {
    const decoded = decodeEnvelope(target.topic, raw.body);
    if (!decoded.ok) return { kind: 'dead', error: `invalid message: ${decoded.error}`, attempts: attempt };
    try {
      await handler({
        ...target,
        key: raw.key,
        envelope: decoded.envelope satisfies UnknownEnvelope,
        attempt,
        properties: raw.properties,
      });
      return { kind: 'ack' };
    } catch (err) {
      const error = errorText(err);
      if (attempt >= policy.maxAttempts) return { kind: 'dead', error, attempts: attempt };
      return { kind: 'retry', error, delayMs: backoffDelay(attempt, policy) };
    }
  }
}

/** Properties a dead letter carries on every adapter. */
export function deadLetterProperties(
  origin: { topic: string; subscription: string },
  outcome: { error: string; attempts: number },
  inherited: Record<string, string>,
): Record<string, string> {
  return {
    ...inherited,
    dead_letter_error: outcome.error,
    dead_letter_attempts: String(outcome.attempts),
    dead_letter_origin_topic: origin.topic,
    dead_letter_subscription: origin.subscription,
    dead_letter_at: new Date().toISOString(),
  };
}
