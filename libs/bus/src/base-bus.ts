import {
  assertValidEnvelope,
  message,
  type Envelope,
  type EnvelopeMeta,
  type OutgoingMessage,
  type PayloadOf,
  type TopicName,
} from '@stockpulse/contracts';
import {
  checkName,
  DEFAULT_RETRY,
  type BatchHandler,
  type ConsumerHandler,
  type DeadLetterQueue,
  type Handler,
  type MessageBus,
  type RetryPolicy,
  type SubscribeOptions,
  type Subscription,
} from './port.js';

/** Subscription options with every default applied. */
export interface ResolvedSubscribeOptions extends Required<Omit<SubscribeOptions, 'retry' | 'batchSize'>> {
  retry: RetryPolicy;
  batchSize?: number;
}

/** What both adapters share: the typed publish, argument checks and defaults. */
export abstract class BaseBus implements MessageBus {
  abstract readonly kind: MessageBus['kind'];
  abstract readonly description: string;
  protected closed = false;
  private readonly live = new Set<{ close(): Promise<void> }>();
  /** Every subscription's retry policy, unless it brings its own. */
  private readonly retry: RetryPolicy;

  constructor(retry: Partial<RetryPolicy> = {}) {
    this.retry = { ...DEFAULT_RETRY, ...retry };
  }

  async publish<T extends TopicName>(
    topic: T,
    payload: PayloadOf<T>,
    meta: EnvelopeMeta,
  ): Promise<Envelope<T>> {
    const m = message(topic, payload, meta);
    await this.publishMany([m]);
    return m.envelope as Envelope<T>;
  }

  abstract publishMany(messages: readonly OutgoingMessage[]): Promise<void>;

  subscribe<T extends TopicName>(
    topic: T,
    options: SubscribeOptions,
    handler: Handler<Envelope<T>>,
  ): Promise<Subscription>;
  subscribe(topic: string, options: SubscribeOptions, handler: Handler): Promise<Subscription>;
  async subscribe(topic: string, options: SubscribeOptions, handler: Handler): Promise<Subscription> {
    return this.subscribeWith(topic, options, { one: handler });
  }

  subscribeBatch<T extends TopicName>(
    topic: T,
    options: SubscribeOptions,
    handler: BatchHandler<Envelope<T>>,
  ): Promise<Subscription>;
  subscribeBatch(topic: string, options: SubscribeOptions, handler: BatchHandler): Promise<Subscription>;
  subscribeBatch(topic: string, options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    return this.subscribeWith(topic, options, { batch: handler });
  }

  private async subscribeWith(
    topic: string,
    options: SubscribeOptions,
    handler: ConsumerHandler,
  ): Promise<Subscription> {
    this.assertOpen();
    checkName('topic', topic);
    checkName('subscription', options.subscription);
    if (options.batchSize !== undefined && !(Number.isInteger(options.batchSize) && options.batchSize >= 1))
      throw new Error(`batchSize must be a whole number from 1, not ${options.batchSize}`);
    return this.open(
      topic,
      {
        subscription: options.subscription,
        type: options.type ?? 'exclusive',
        initialPosition: options.initialPosition ?? 'earliest',
        retry: { ...this.retry, ...options.retry },
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      },
      handler,
    );
  }

  protected abstract open(
    topic: string,
    options: ResolvedSubscribeOptions,
    handler: ConsumerHandler,
  ): Promise<Subscription>;

  async deadLetters(): Promise<DeadLetterQueue[]> {
    this.assertOpen();
    return this.listDeadLetters();
  }

  async replayDeadLetters(deadLetterTopic: string, limit: number): Promise<number> {
    this.assertOpen();
    checkName('topic', deadLetterTopic);
    if (!deadLetterTopic.endsWith('.dlq')) throw new Error(`'${deadLetterTopic}' is not a dead-letter topic`);
    if (!(Number.isInteger(limit) && limit >= 1))
      throw new Error(`limit must be a whole number from 1, not ${limit}`);
    return this.moveDeadLetters(deadLetterTopic, limit);
  }

  protected abstract listDeadLetters(): Promise<DeadLetterQueue[]>;
  /** Moves up to `limit` messages of a (valid) dead-letter topic back to their topics; returns how many. */
  protected abstract moveDeadLetters(deadLetterTopic: string, limit: number): Promise<number>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  /** Throws unless every message is valid for its topic (names, envelope, payload). */
  protected validate(messages: readonly OutgoingMessage[]): void {
    this.assertOpen();
    for (const m of messages) {
      checkName('topic', m.topic);
      assertValidEnvelope(m.topic, m.envelope);
    }
  }

  /** Wraps an adapter's consumer as the Subscription callers get, and remembers it until it closes. */
  protected track(consumer: { close(): Promise<void> }, topic: string, subscription: string): Subscription {
    this.live.add(consumer);
    return {
      topic,
      subscription,
      close: async () => {
        this.live.delete(consumer);
        await consumer.close();
      },
    };
  }

  /** Closes every subscription still open, each waiting for the message in hand. */
  protected async closeSubscriptions(): Promise<void> {
    const open = [...this.live];
    this.live.clear();
    await Promise.all(open.map((c) => c.close()));
  }

  protected assertOpen(): void {
    if (this.closed) throw new Error('the bus is closed');
  }
}
