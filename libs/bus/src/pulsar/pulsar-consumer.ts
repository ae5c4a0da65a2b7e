import { backoffDelay, deadLetterProperties, type Outcome } from '../dispatch.js';
import type { BusObserver, ConsumerHandler, RetryPolicy, SubscriptionType } from '../port.js';
import { afterCrash, deliver, deliverOne, type Item } from './deliver.js';
import type { InHandLedger } from './in-hand.js';
import { PendingRetries } from './retries.js';
import type { ReceivedRaw, TransportConsumer } from './transport.js';

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

/**
 * One consumer of one subscription, over either client. It takes what has arrived (up to `batchSize`), writes
 * the ids to the in-hand ledger, hands it to the handler as one batch, then acknowledges each message whose
 * outcome is an ack (or a dead letter, written first). A failed message on a shared or key_shared
 * subscription is negatively acknowledged after our capped backoff (the broker counts redeliveries there); on
 * an exclusive one, where a negative acknowledgement redelivers everything unacknowledged, it is retried in
 * place after the same backoff. Messages the ledger says were in the hands of a process that died are handed
 * over one at a time (deliver.ts: afterCrash).
 */
export class PulsarConsumer {
  private closing = false;
  private loop: Promise<void> = Promise.resolve();
  private inHand: Promise<void> | undefined;
  private readonly retries = new PendingRetries((message) => {
    this.consumer.nack(message);
    this.release([message.id]);
  });
  /** Messages of the batch in hand already acknowledged, sent back or dead-lettered. */
  private settled = new Set<string>();

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
      this.settled = new Set();
      this.inHand = this.handle(received).catch((err: unknown) => {
        // the ledger or the dead-letter topic failed: what is not settled yet goes back to the broker
        this.deps.onError(err);
        const rest = received.filter((m) => !this.settled.has(m.id));
        for (const m of rest) this.consumer.nack(m);
        this.release(rest.map((m) => m.id));
      });
      await this.inHand;
      this.inHand = undefined;
      // let timers and I/O of the process run between batches: a consumer that is never idle must not
      // starve the service's HTTP server (reads, /ready) or its heartbeat
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private release(ids: readonly string[]): void {
    try {
      this.deps.ledger.released(this.target.scope, ids);
    } catch (err) {
      this.deps.onError(err);
    }
  }

  private async handle(received: ReceivedRaw[]): Promise<void> {
    const { ledger, handler, observer } = this.deps;
    const { scope, policy } = this.target;
    // a retry whose redelivery comes before its negative acknowledgement (a reconnect): not a crash
    const early = received.filter((m) => this.retries.has(m.id)).map((m) => m.id);
    for (const id of early) this.retries.forget(id);
    this.release(early);
    const died = ledger.recall(
      scope,
      received.map((m) => m.id),
    );
    const stop = () => this.closing;
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
      const outcomes = await deliver(this.target, items, handler, observer, stop);
      // closing stops a one-at-a-time handler between messages: the rest go back to the broker unhandled
      this.release(items.slice(outcomes.length).map((i) => i.message.id));
      await this.settle(items.slice(0, outcomes.length), outcomes);
      return;
    }
    // after a crash, one message at a time, so that a message that kills its consumer is found for certain
    for (const message of received) {
      if (this.closing) return;
      const { held, doomed } = afterCrash(message, died.get(message.id), policy);
      if (doomed) {
        await this.doom(message, held.attempt - 1, held.loneDeaths);
        continue;
      }
      ledger.held(scope, [{ id: message.id, held }]);
      const item = { message, held };
      await this.settle([item], await deliver(this.target, [item], handler, observer, stop));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Acknowledges, dead-letters, retries in place or schedules the negative acknowledgement of each. */
  private async settle(items: readonly Item[], outcomes: Outcome[]): Promise<void> {
    const { handler, observer } = this.deps;
    for (let i = 0; i < items.length; i++) {
      const { message, held } = items[i]!;
      let outcome = outcomes[i]!;
      // exclusive: in place, keeping order (a negative acknowledgement would redeliver all in flight)
      while (outcome.kind === 'retry' && this.target.type === 'exclusive' && !this.closing) {
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(held.attempt, this.target.policy)));
        held.attempt++;
        outcome = await deliverOne(this.target, message, held.attempt, handler, observer);
      }
      if (outcome.kind === 'retry') this.retries.add(message, outcome.delayMs);
      else {
        if (outcome.kind === 'dead')
          await this.deps.deadLetter(message, deadLetterProperties(this.target, outcome, message.properties));
        this.consumer.ack(message);
        this.release([message.id]);
      }
      this.settled.add(message.id);
    }
  }

  /** Dead-letters a message whose deliveries killed its consumer too often, without delivering it again. */
  private async doom(message: ReceivedRaw, attempts: number, lone: number): Promise<void> {
    const { topic, subscription } = this.target;
    const error = `its consumer died while handling it: ${attempts} deliveries, the last ${lone} alone`;
    const properties = deadLetterProperties(this.target, { error, attempts }, message.properties);
    await this.deps.deadLetter(message, properties);
    this.deps.observer?.handled?.({
      topic,
      subscription,
      outcome: 'dead_lettered',
      attempt: attempts,
      seconds: 0,
    });
    this.consumer.ack(message);
    this.release([message.id]);
    this.settled.add(message.id);
  }

  /** Waits for the batch in hand, returns the waiting retries to the broker, closes the consumer. */
  async close(): Promise<void> {
    if (this.closing) return this.loop;
    this.closing = true;
    await this.inHand; // the batch in hand is handled and acknowledged first
    this.retries.flush();
    await this.consumer.close(); // this also ends a receive that is waiting
    await this.loop;
  }
}
