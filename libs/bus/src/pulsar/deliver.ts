import { dispatch, dispatchBatch, type Outcome, type RawMessage } from '../dispatch.js';
import type { BusObserver, ConsumerHandler, Handler, RetryPolicy } from '../port.js';
import type { HeldDelivery } from './in-hand.js';
import type { ReceivedRaw } from './transport.js';

export interface Item {
  message: ReceivedRaw;
  held: HeldDelivery;
}

export interface DeliverTarget {
  topic: string;
  subscription: string;
  policy: RetryPolicy;
}

const raw = (m: ReceivedRaw): RawMessage => ({ key: m.key, body: m.data, properties: m.properties });

/**
 * Hands items to the handler: a batch handler gets them all at once; a one-at-a-time handler gets them in
 * order until `stop()` says to stop (closing), so fewer outcomes than items may come back.
 */
export async function deliver(
  target: DeliverTarget,
  items: readonly Item[],
  handler: ConsumerHandler,
  observer: BusObserver | undefined,
  stop: () => boolean,
): Promise<Outcome[]> {
  const { topic, subscription, policy } = target;
  if ('batch' in handler) {
    const messages = items.map((i) => ({ raw: raw(i.message), attempt: i.held.attempt }));
    return dispatchBatch({ topic, subscription }, messages, policy, handler.batch, observer);
  }
  const outcomes: Outcome[] = [];
  for (const { message, held } of items) {
    if (stop()) break;
    const outcome = dispatch(
      { topic, subscription },
      raw(message),
      held.attempt,
      policy,
      handler.one,
      observer,
    );
    outcomes.push(outcome instanceof Promise ? await outcome : outcome);
  }
  return outcomes;
}

/** One message alone, as an in-place retry on an exclusive subscription hands it over again. */
export function deliverOne(
  target: DeliverTarget,
  message: ReceivedRaw,
  attempt: number,
  handler: ConsumerHandler,
  observer: BusObserver | undefined,
): Promise<Outcome> {
  const one: Handler = 'one' in handler ? handler.one : (d) => handler.batch([d]);
  const { topic, subscription, policy } = target;
  return Promise.resolve(dispatch({ topic, subscription }, raw(message), attempt, policy, one, observer));
}

/**
 * A message that was in the hands of a process that died (`before`, from the in-hand ledger): its next
 * delivery counts that one as an attempt, goes alone, and is `doomed` once lone deliveries of it have killed
 * their consumer `maxAttempts` times, or its last attempt did.
 */
export function afterCrash(
  message: ReceivedRaw,
  before: HeldDelivery | undefined,
  policy: RetryPolicy,
): { held: HeldDelivery; doomed: boolean } {
  const held: HeldDelivery = { attempt: message.redeliveryCount + 1, alone: true, loneDeaths: 0 };
  if (!before) return { held, doomed: false };
  held.attempt = Math.max(held.attempt, before.attempt + 1);
  held.loneDeaths = before.loneDeaths + (before.alone ? 1 : 0);
  const doomed = before.alone && (held.loneDeaths >= policy.maxAttempts || held.attempt > policy.maxAttempts);
  return { held, doomed };
}
