import type * as Pulsar from 'pulsar-client';
import { backoffDelay, deadLetterProperties, dispatch, type Outcome } from '../dispatch.js';
import type {
  BusObserver,
  ConsumerHandler,
  Handler,
  InitialPosition,
  RetryPolicy,
  SubscriptionType,
} from '../port.js';

const SUBSCRIPTION_TYPES: Record<SubscriptionType, Pulsar.SubscriptionType> = {
  exclusive: 'Exclusive',
  shared: 'Shared',
  key_shared: 'KeyShared',
};

/** The broker's own redelivery delay after a negative ack; our backoff waits the rest before nacking. */
const NACK_DELAY_MS = 100;

/** Dead letters stay on the broker under this subscription until replayed (the embedded bus keeps them too). */
export const REPLAY_SUBSCRIPTION = 'replay';

export interface PulsarConsumerTarget {
  topic: string;
  subscription: string;
  topicUrl: string;
  deadLetterTopicUrl: string;
  type: SubscriptionType;
  initialPosition: InitialPosition;
  policy: RetryPolicy;
}

export interface PulsarConsumerDeps {
  handler: ConsumerHandler;
  observer: BusObserver | undefined;
  onError: (err: unknown) => void;
  deadLetter: (data: Buffer, key: string, properties: Record<string, string>) => Promise<void>;
}

/**
 * Receives one message at a time (per-key order on key_shared, total order on exclusive) and acks it after
 * the handler resolves. A throw on a shared or key_shared subscription nacks the message after our capped
 * exponential backoff (the broker counts redeliveries there); on an exclusive subscription, where a nack
 * makes the client redeliver everything unacknowledged, the consumer retries in place after the same
 * backoff, keeping order. At the last attempt it publishes the message with its error to the dead-letter
 * topic before acking, so a crash in between cannot drop it; the client's dead-letter policy is the
 * backstop for a message whose consumer dies on it (shared and key_shared only: the broker does not count
 * redeliveries of exclusive subscriptions).
 */
export class PulsarConsumer {
  private closing = false;
  private loop: Promise<void> = Promise.resolve();
  private inHand: Promise<void> | undefined;
  private readonly pendingNacks = new Map<NodeJS.Timeout, Pulsar.Message>();

  private constructor(
    private readonly consumer: Pulsar.Consumer,
    private readonly target: PulsarConsumerTarget,
    private readonly deps: PulsarConsumerDeps,
  ) {}

  static async open(client: Pulsar.Client, target: PulsarConsumerTarget, deps: PulsarConsumerDeps) {
    // the dead-letter topic's subscription exists before any dead letter does
    await (
      await client.subscribe({
        topic: target.deadLetterTopicUrl,
        subscription: REPLAY_SUBSCRIPTION,
        subscriptionType: 'Shared',
        subscriptionInitialPosition: 'Earliest',
      })
    ).close();
    const consumer = await client.subscribe({
      topic: target.topicUrl,
      subscription: target.subscription,
      subscriptionType: SUBSCRIPTION_TYPES[target.type],
      subscriptionInitialPosition: target.initialPosition === 'earliest' ? 'Earliest' : 'Latest',
      nAckRedeliverTimeoutMs: NACK_DELAY_MS,
      receiverQueueSize: 1000,
      deadLetterPolicy: {
        deadLetterTopic: target.deadLetterTopicUrl,
        maxRedeliverCount: target.policy.maxAttempts,
        initialSubscriptionName: REPLAY_SUBSCRIPTION,
      },
    });
    const self = new PulsarConsumer(consumer, target, deps);
    self.loop = self.run();
    return self;
  }

  private async run(): Promise<void> {
    while (!this.closing) {
      let msg: Pulsar.Message;
      try {
        // no timeout: a timed receive holds a libuv thread while it waits; close() ends this one
        msg = await this.consumer.receive();
      } catch (err) {
        if (this.closing) return;
        this.deps.onError(err);
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      if (this.closing) return; // not handled, not acked: delivered again to whoever comes next
      this.inHand = this.handle(msg).catch((err: unknown) => {
        this.deps.onError(err);
        this.consumer.negativeAcknowledge(msg); // neither lost nor stuck unacknowledged
      });
      await this.inHand;
      this.inHand = undefined;
    }
  }

  private async handle(msg: Pulsar.Message): Promise<void> {
    const { topic, subscription, policy } = this.target;
    const raw = { key: msg.getPartitionKey() ?? '', body: msg.getData(), properties: msg.getProperties() };
    let attempt = msg.getRedeliveryCount() + 1;
    // one message at a time here, so a batch handler gets batches of one
    const h = this.deps.handler;
    const handler: Handler = 'one' in h ? h.one : (d) => h.batch([d]);
    let outcome: Outcome;
    for (;;) {
      const result = dispatch({ topic, subscription }, raw, attempt, policy, handler, this.deps.observer);
      outcome = result instanceof Promise ? await result : result;
      if (outcome.kind !== 'retry' || this.target.type !== 'exclusive' || this.closing) break;
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, policy)));
      attempt++;
    }
    if (outcome.kind === 'retry') {
      const timer = setTimeout(
        () => {
          this.pendingNacks.delete(timer);
          this.consumer.negativeAcknowledge(msg);
        },
        Math.max(0, outcome.delayMs - NACK_DELAY_MS),
      );
      this.pendingNacks.set(timer, msg);
      return;
    }
    if (outcome.kind === 'dead') {
      await this.deps.deadLetter(
        raw.body,
        raw.key,
        deadLetterProperties(this.target, outcome, raw.properties),
      );
    }
    await this.consumer.acknowledge(msg);
  }

  /** Waits for the message in hand, returns the waiting retries to the broker, closes the consumer. */
  async close(): Promise<void> {
    if (this.closing) return this.loop;
    this.closing = true;
    for (const [timer, msg] of this.pendingNacks) {
      clearTimeout(timer);
      this.consumer.negativeAcknowledge(msg);
    }
    this.pendingNacks.clear();
    await this.inHand; // the message in hand is handled and acknowledged first
    await this.consumer.close(); // this also ends a receive() that is waiting
    await this.loop;
  }
}
