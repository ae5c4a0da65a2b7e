import type * as Pulsar from 'pulsar-client';
import { deadLetterProperties, dispatch } from '../dispatch.js';
import type { BusObserver, Handler, InitialPosition, RetryPolicy, SubscriptionType } from '../port.js';

const SUBSCRIPTION_TYPES: Record<SubscriptionType, Pulsar.SubscriptionType> = {
  exclusive: 'Exclusive',
  shared: 'Shared',
  key_shared: 'KeyShared',
};

/** The broker's own redelivery delay after a negative ack; our backoff waits the rest before nacking. */
const NACK_DELAY_MS = 100;
const RECEIVE_TIMEOUT_MS = 500;

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
  handler: Handler;
  observer: BusObserver | undefined;
  onError: (err: unknown) => void;
  deadLetter: (data: Buffer, key: string, properties: Record<string, string>) => Promise<void>;
}

/**
 * Receives one message at a time (per-key order on key_shared, total order on exclusive), acks after the
 * handler resolves, nacks after a capped exponential backoff when it throws, and at the last attempt publishes
 * the message with its error to the dead-letter topic before acking it, so a crash in between cannot drop it.
 * The client's dead-letter policy stays as a backstop for a message whose consumer dies on every delivery.
 */
export class PulsarConsumer {
  private closing = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly pendingNacks = new Map<NodeJS.Timeout, Pulsar.Message>();
  /** Exclusive subscriptions do not count redeliveries on the broker; count them here as well. */
  private readonly localAttempts = new Map<string, number>();

  private constructor(
    private readonly consumer: Pulsar.Consumer,
    private readonly target: PulsarConsumerTarget,
    private readonly deps: PulsarConsumerDeps,
  ) {}

  static async open(client: Pulsar.Client, target: PulsarConsumerTarget, deps: PulsarConsumerDeps) {
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
        // keeps dead letters on the broker until someone replays them (the embedded bus does the same)
        initialSubscriptionName: 'replay',
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
        msg = await this.consumer.receive(RECEIVE_TIMEOUT_MS);
      } catch (err) {
        if (!this.closing && !/timeout/i.test(String(err))) {
          this.deps.onError(err);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        continue;
      }
      try {
        await this.handle(msg);
      } catch (err) {
        this.deps.onError(err);
      }
    }
  }

  private async handle(msg: Pulsar.Message): Promise<void> {
    const { topic, subscription, policy } = this.target;
    const id = msg.getMessageId().toString();
    const attempt = Math.max(msg.getRedeliveryCount() + 1, (this.localAttempts.get(id) ?? 0) + 1);
    const raw = { key: msg.getPartitionKey() ?? '', body: msg.getData(), properties: msg.getProperties() };
    const outcome = await dispatch(
      { topic, subscription },
      raw,
      attempt,
      policy,
      this.deps.handler,
      this.deps.observer,
    );
    if (outcome.kind === 'retry') {
      this.localAttempts.set(id, attempt);
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
    this.localAttempts.delete(id);
    if (outcome.kind === 'dead') {
      await this.deps.deadLetter(
        raw.body,
        raw.key,
        deadLetterProperties(this.target, outcome, raw.properties),
      );
    }
    await this.consumer.acknowledge(msg);
  }

  async close(): Promise<void> {
    if (this.closing) return this.loop;
    this.closing = true;
    await this.loop;
    for (const [timer, msg] of this.pendingNacks) {
      clearTimeout(timer);
      this.consumer.negativeAcknowledge(msg);
    }
    this.pendingNacks.clear();
    await this.consumer.close();
  }
}
