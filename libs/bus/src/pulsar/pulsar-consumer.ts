import { backoffDelay, deadLetterProperties, dispatch, dispatchBatch, type Outcome } from '../dispatch.js';
import type { BusObserver, ConsumerHandler, Handler, RetryPolicy, SubscriptionType } from '../port.js';
import type { HeldDelivery, InHandLedger } from './in-hand.js';
import { NACK_DELAY_MS, type ReceivedRaw, type TransportConsumer } from './transport.js';

export interface PulsarConsumerTarget {
  topic: string;
  subscription: string;
  /** `<topic url>/<subscription>`: this subscription's rows in the in-hand ledger. */
  scope: string;
  type: SubscriptionType;
  policy: RetryPolicy;
  batchSize: number;
}

export interface PulsarConsumerDeps {
  handler: ConsumerHandler;
  observer: BusObserver | undefined;
  onError: (err: unknown) => void;
  ledger: InHandLedger;
  deadLetter: (message: ReceivedRaw, properties: Record<string, string>) => Promise<void>;
}

interface Item {
  message: ReceivedRaw;
  held: HeldDelivery;
}

/**
 * One consumer of one subscription, over either client. It takes what has arrived (up to `batchSize`) and
 * hands it to the handler as one batch, then acknowledges each message whose outcome is an ack (or a dead
 * letter, written first). A failed message on a shared or key_shared subscription is negatively acknowledged
 * after our capped backoff (the broker counts redeliveries there); on an exclusive one, where a negative
 * acknowledgement redelivers everything unacknowledged, it is retried in place after the same backoff.
 * Messages that were in the hands of a process that died (the in-hand ledger) are handed over one at a time,
 * counted as a further attempt, and dead-lettered once they have killed their consumer `maxAttempts` times.
 */
export class PulsarConsumer {
  private closing = false;
  private loop: Promise<void> = Promise.resolve();
  private inHand: Promise<void> | undefined;
  private readonly nacks = new Map<NodeJS.Timeout, ReceivedRaw>();

  constructor(
    private readonly consumer: TransportConsumer,
    private readonly target: PulsarConsumerTarget,
    private readonly deps: PulsarConsumerDeps,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.closing) {
      let received: ReceivedRaw[];
      try {
        received = await this.consumer.receive(this.target.batchSize);
      } catch (err) {
        if (this.closing) return;
        this.deps.onError(err);
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      // when closing, what was received is neither handled nor acknowledged: the broker delivers it again
      if (this.closing || !received.length) continue;
      this.inHand = this.handle(received).catch((err: unknown) => {
        this.deps.onError(err); // the ledger or the dead-letter topic failed: nothing is lost or stuck
        for (const m of received) this.consumer.nack(m);
      });
      await this.inHand;
      this.inHand = undefined;
      // let timers and I/O of the process run between batches: a consumer that is never idle must not
      // starve the service's HTTP server (reads, /ready) or its heartbeat
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async handle(received: ReceivedRaw[]): Promise<void> {
    const { ledger } = this.deps;
    const { scope, policy } = this.target;
    const died = ledger.recall(
      scope,
      received.map((m) => m.id),
    );
    if (!died.size) {
      const alone = received.length === 1;
      const items = received.map((message) => ({
        message,
        held: { attempt: message.redeliveryCount + 1, alone, loneDeaths: 0 },
      }));
      ledger.held(
        scope,
        items.map((i) => ({ id: i.message.id, held: i.held })),
      );
      const outcomes = await this.dispatch(items);
      // closing stops a one-at-a-time handler between messages: the rest go back to the broker unhandled
      const unhandled = items.slice(outcomes.length).map((i) => i.message.id);
      ledger.released(scope, unhandled);
      await this.settle(items.slice(0, outcomes.length), outcomes);
      return;
    }
    // after a crash, one message at a time, so that a message that kills its consumer is found for certain
    for (const message of received) {
      if (this.closing) return;
      const before = died.get(message.id);
      const held: HeldDelivery = { attempt: message.redeliveryCount + 1, alone: true, loneDeaths: 0 };
      if (before) {
        held.attempt = Math.max(held.attempt, before.attempt + 1);
        held.loneDeaths = before.loneDeaths + (before.alone ? 1 : 0);
        if (before.alone && (held.loneDeaths >= policy.maxAttempts || held.attempt > policy.maxAttempts)) {
          await this.doom(message, before.attempt);
          continue;
        }
      }
      ledger.held(scope, [{ id: message.id, held }]);
      const item = { message, held };
      await this.settle([item], await this.dispatch([item]));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async dispatch(items: readonly Item[]): Promise<Outcome[]> {
    const { topic, subscription, policy } = this.target;
    const { handler, observer } = this.deps;
    const raw = (m: ReceivedRaw) => ({ key: m.key, body: m.data, properties: m.properties });
    if ('batch' in handler)
      return dispatchBatch(
        { topic, subscription },
        items.map((i) => ({ raw: raw(i.message), attempt: i.held.attempt })),
        policy,
        handler.batch,
        observer,
      );
    const outcomes: Outcome[] = [];
    for (const { message, held } of items) {
      if (this.closing) break;
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

  /** Acknowledges, dead-letters, retries in place or schedules the negative acknowledgement of each. */
  private async settle(items: readonly Item[], outcomes: Outcome[]): Promise<void> {
    const released: string[] = [];
    for (let i = 0; i < items.length; i++) {
      const { message, held } = items[i]!;
      let outcome = outcomes[i]!;
      // exclusive: in place, keeping order (a negative acknowledgement would redeliver all in flight)
      while (outcome.kind === 'retry' && this.target.type === 'exclusive' && !this.closing) {
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(held.attempt, this.target.policy)));
        held.attempt++;
        outcome = await this.dispatchOne(message, held.attempt);
      }
      if (outcome.kind === 'retry') {
        this.nackLater(message, outcome.delayMs);
        continue;
      }
      if (outcome.kind === 'dead')
        await this.deps.deadLetter(message, deadLetterProperties(this.target, outcome, message.properties));
      this.consumer.ack(message);
      released.push(message.id);
    }
    this.deps.ledger.released(this.target.scope, released);
  }

  private dispatchOne(message: ReceivedRaw, attempt: number): Promise<Outcome> {
    const h = this.deps.handler;
    const one: Handler = 'one' in h ? h.one : (d) => h.batch([d]);
    const { topic, subscription, policy } = this.target;
    const raw = { key: message.key, body: message.data, properties: message.properties };
    return Promise.resolve(dispatch({ topic, subscription }, raw, attempt, policy, one, this.deps.observer));
  }

  /** Dead-letters a message whose deliveries killed its consumer too often, without delivering it again. */
  private async doom(message: ReceivedRaw, deaths: number): Promise<void> {
    const { topic, subscription } = this.target;
    const error = `its consumer died ${deaths} times while handling it`;
    const properties = deadLetterProperties(this.target, { error, attempts: deaths }, message.properties);
    await this.deps.deadLetter(message, properties);
    this.deps.observer?.handled?.({
      topic,
      subscription,
      outcome: 'dead_lettered',
      attempt: deaths,
      seconds: 0,
    });
    this.consumer.ack(message);
    this.deps.ledger.released(this.target.scope, [message.id]);
  }

  private nackLater(message: ReceivedRaw, delayMs: number): void {
    const timer = setTimeout(
      () => {
        this.nacks.delete(timer);
        this.consumer.nack(message);
        this.deps.ledger.released(this.target.scope, [message.id]);
      },
      Math.max(0, delayMs - NACK_DELAY_MS),
    );
    this.nacks.set(timer, message);
  }

  /** Waits for the batch in hand, returns the waiting retries to the broker, closes the consumer. */
  async close(): Promise<void> {
    if (this.closing) return this.loop;
    this.closing = true;
    await this.inHand; // the batch in hand is handled and acknowledged first
    for (const [timer, message] of this.nacks) {
      clearTimeout(timer);
      this.consumer.nack(message);
      this.deps.ledger.released(this.target.scope, [message.id]);
    }
    this.nacks.clear();
    await this.consumer.close(); // this also ends a receive that is waiting
    await this.loop;
  }
}
