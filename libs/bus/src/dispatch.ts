import { decodeEnvelope } from '@stockpulse/contracts';
import type { BatchHandler, BusObserver, Delivery, Handler, RetryPolicy } from './port.js';

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
 * backoff until `maxAttempts`, then dead-lettered with its last error. Synchronous when the handler is,
 * so a batch of synchronous handlers costs no promise per message.
 */
export function dispatch(
  target: { topic: string; subscription: string },
  raw: RawMessage,
  attempt: number,
  policy: RetryPolicy,
  handler: Handler,
  observer: BusObserver | undefined,
): Outcome | Promise<Outcome> {
  const started = observer ? performance.now() : 0;
  const decoded = decodeEnvelope(target.topic, raw.body);
  if (!decoded.ok) {
    const outcome: Outcome = { kind: 'dead', error: `invalid message: ${decoded.error}`, attempts: attempt };
    return report(observer, target, attempt, started, outcome);
  }
  let result: Promise<void> | void;
  try {
    result = handler({
      topic: target.topic,
      subscription: target.subscription,
      key: raw.key,
      envelope: decoded.envelope,
      attempt,
      properties: raw.properties,
    });
  } catch (err) {
    return report(observer, target, attempt, started, failure(err, attempt, policy));
  }
  if (result instanceof Promise) {
    return result.then(
      () => report(observer, target, attempt, started, ACK),
      (err: unknown) => report(observer, target, attempt, started, failure(err, attempt, policy)),
    );
  }
  return report(observer, target, attempt, started, ACK);
}

function failure(err: unknown, attempt: number, policy: RetryPolicy): Outcome {
  const error = errorText(err);
  if (attempt >= policy.maxAttempts) return { kind: 'dead', error, attempts: attempt };
  return { kind: 'retry', error, delayMs: backoffDelay(attempt, policy) };
}

function report(
  observer: BusObserver | undefined,
  target: { topic: string; subscription: string },
  attempt: number,
  started: number,
  outcome: Outcome,
  share = 1,
): Outcome {
  observer?.handled?.({
    topic: target.topic,
    subscription: target.subscription,
    outcome: outcome.kind === 'ack' ? 'acked' : outcome.kind === 'retry' ? 'retried' : 'dead_lettered',
    attempt,
    seconds: (performance.now() - started) / 1000 / share,
  });
  return outcome;
}

/**
 * A batch of deliveries, the same for every adapter: invalid messages are dead-lettered at once; the valid
 * ones go to the handler together; if it throws, each goes to it again alone (as `dispatch`), so only the
 * message at fault is retried. Returns one outcome per message, in order.
 */
export async function dispatchBatch(
  target: { topic: string; subscription: string },
  messages: readonly { raw: RawMessage; attempt: number }[],
  policy: RetryPolicy,
  handler: BatchHandler,
  observer: BusObserver | undefined,
): Promise<Outcome[]> {
  const started = performance.now();
  const outcomes: Outcome[] = new Array<Outcome>(messages.length);
  const deliveries: Delivery[] = [];
  const positions: number[] = [];
  messages.forEach(({ raw, attempt }, i) => {
    const decoded = decodeEnvelope(target.topic, raw.body);
    if (!decoded.ok) {
      const dead: Outcome = { kind: 'dead', error: `invalid message: ${decoded.error}`, attempts: attempt };
      outcomes[i] = report(observer, target, attempt, started, dead);
      return;
    }
    const { topic, subscription } = target;
    deliveries.push({
      topic,
      subscription,
      key: raw.key,
      envelope: decoded.envelope,
      attempt,
      properties: raw.properties,
    });
    positions.push(i);
  });
  if (!deliveries.length) return outcomes;
  try {
    const result = handler(deliveries);
    if (result instanceof Promise) await result;
    positions.forEach(
      (i, k) =>
        (outcomes[i] = report(observer, target, deliveries[k]!.attempt, started, ACK, deliveries.length)),
    );
  } catch {
    for (const i of positions) {
      const { raw, attempt } = messages[i]!;
      const alone = dispatch(target, raw, attempt, policy, (d) => handler([d]), observer);
      outcomes[i] = alone instanceof Promise ? await alone : alone;
    }
  }
  return outcomes;
}

const ACK: Outcome = { kind: 'ack' };

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

/** Properties that say why a message was dead-lettered: ours, and those Pulsar's own dead-letter policy adds. */
const DEAD_LETTER_PROPERTY = /^(dead_letter_|REAL_TOPIC$|ORIGIN_MESSAGE_ID$)/;

/**
 * Where a dead letter goes back to, and with which properties: the topic it came from (from our properties,
 * or Pulsar's REAL_TOPIC), and its properties without the dead-letter ones, plus when and whence replayed.
 */
export function replayOf(
  deadLetterTopic: string,
  properties: Record<string, string>,
): { topic: string; properties: Record<string, string> } {
  const origin = properties.dead_letter_origin_topic ?? properties.REAL_TOPIC?.replace(/^.*\//, '');
  if (!origin) throw new Error(`a message of ${deadLetterTopic} does not say which topic it came from`);
  const kept = Object.entries(properties).filter(([name]) => !DEAD_LETTER_PROPERTY.test(name));
  return {
    topic: origin,
    properties: {
      ...Object.fromEntries(kept),
      replayed_from: deadLetterTopic,
      replayed_at: new Date().toISOString(),
    },
  };
}
