import {
  assertValidEnvelope,
  isTopicName,
  message,
  partitionOf,
  partitionTopic,
  storeOf,
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

export interface Backlog {
  subscription: string;
  messages: number;
  consumers: number;
}

/** Subscription options with every default applied. */
export interface ResolvedSubscribeOptions extends Required<
  Omit<SubscribeOptions, 'retry' | 'batchSize' | 'partition'>
> {
  retry: RetryPolicy;
  batchSize?: number;
}

/**
 * What both adapters share: the typed publish, argument checks and defaults, and partitions. With
 * `partitions` N > 1, a contract topic's message goes to the partition topic `<topic>-partition-<i>` of its
 * store (contracts' `partitionOf`), a subscription that names its `partition` consumes that one alone and
 * exclusively (one replica per partition), and one that names none consumes every partition. Each topic's
 * partition count is agreed with the broker's (or the bus file's) once per process: a process started with
 * another N is refused before it publishes or consumes anything.
 */
export abstract class BaseBus implements MessageBus {
  abstract readonly kind: MessageBus['kind'];
  abstract readonly description: string;
  protected closed = false;
  private readonly live = new Set<{ close(): Promise<void> }>();
  /** Every subscription's retry policy, unless it brings its own. */
  private readonly retry: RetryPolicy;
  private readonly agreed = new Map<string, Promise<void>>();

  constructor(
    retry: Partial<RetryPolicy> = {},
    readonly partitions = 1,
  ) {
    if (!Number.isInteger(partitions) || partitions < 1)
      throw new Error(`PARTITIONS must be a whole number of at least 1 (got ${partitions})`);
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

  async publishMany(messages: readonly OutgoingMessage[]): Promise<void> {
    this.validate(messages);
    if (!messages.length) return;
    for (const topic of new Set(messages.map((m) => m.topic))) await this.agree(topic);
    return this.send(this.partitions === 1 ? messages : messages.map((m) => this.route(m)));
  }

  /** Sends valid messages to the topics they name (partition topics included); resolves once all are durable. */
  protected abstract send(messages: readonly OutgoingMessage[]): Promise<void>;

  /** A contract topic's message to the partition of its store. */
  private route(m: OutgoingMessage): OutgoingMessage {
    if (!isTopicName(m.topic)) return m;
    const partition = partitionOf(storeOf(m.envelope.payload) ?? m.key, this.partitions);
    return { ...m, topic: partitionTopic(m.topic, partition) };
  }

  /**
   * The partition count this process was started with against the one the topic has (recorded by the first
   * process on the embedded bus; the topic's own on Pulsar), once per topic and process.
   */
  private agree(topic: string): Promise<void> {
    if (!isTopicName(topic)) return Promise.resolve();
    let agreed = this.agreed.get(topic);
    if (!agreed) {
      agreed = this.topicPartitions(topic).then((theirs) => {
        if (theirs === this.partitions) return;
        this.agreed.delete(topic);
        throw new Error(
          `${topic} has ${theirs} partition${theirs === 1 ? '' : 's'} and this process was started with PARTITIONS=${this.partitions}: start every replica with PARTITIONS=${theirs}, or re-partition the topics and stores first`,
        );
      });
      // a look-up that failed (a busy bus file, the admin API down) is asked again next time
      agreed.catch(() => this.agreed.delete(topic));
      this.agreed.set(topic, agreed);
    }
    return agreed;
  }

  /** The topic's partition count (1: not partitioned); the embedded bus records `this.partitions` if none is. */
  protected abstract topicPartitions(topic: string): Promise<number>;

  /**
   * Gives each contract topic `to` partitions, offline (no replica running: the re-partition command). Refused,
   * before anything changes, while a subscription the `counts` test names has messages left on a topic (they
   * would reach the replica that owned their store before), and by Pulsar for fewer partitions (a
   * partitioned topic only grows there).
   */
  async repartition(
    topics: readonly string[],
    to: number,
    counts: (subscription: string) => boolean,
  ): Promise<void> {
    this.assertOpen();
    const from = await Promise.all(topics.map((t) => this.topicPartitions(t)));
    for (const [i, topic] of topics.entries()) {
      const names =
        from[i]! > 1 ? Array.from({ length: from[i]! }, (_, k) => partitionTopic(topic, k)) : [topic];
      for (const name of names) {
        const subscriptions = (await this.backlog(name)).filter((b) => counts(b.subscription));
        const live = subscriptions.filter((b) => b.consumers > 0).map((b) => b.subscription);
        if (live.length)
          throw new Error(`${name} is being consumed (${live.join(', ')}): stop every service first`);
        const left = subscriptions.filter((b) => b.messages > 0);
        if (left.length)
          throw new Error(
            `${name} still has messages for ${left.map((b) => `${b.subscription} (${b.messages})`).join(', ')}: start the services with the old PARTITIONS until they have caught up, stop them, then re-partition`,
          );
      }
    }
    for (const [i, topic] of topics.entries())
      if (from[i] !== to) await this.setTopicPartitions(topic, from[i]!, to);
    this.agreed.clear();
  }

  /**
   * Each subscription of a topic (a partition topic included): the messages it has not acknowledged, and
   * its consumers connected now.
   */
  protected abstract backlog(topic: string): Promise<Backlog[]>;
  /** Records `to` partitions for a contract topic that has `from`. */
  protected abstract setTopicPartitions(topic: string, from: number, to: number): Promise<void>;

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
    const { partition } = options;
    if (
      partition !== undefined &&
      !(Number.isInteger(partition) && partition >= 0 && partition < this.partitions)
    )
      throw new Error(
        `partition ${partition} is out of range: with PARTITIONS=${this.partitions} a replica index is 0–${this.partitions - 1}`,
      );
    const resolved: ResolvedSubscribeOptions = {
      subscription: options.subscription,
      type: options.type ?? 'exclusive',
      initialPosition: options.initialPosition ?? 'earliest',
      retry: { ...this.retry, ...options.retry },
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    };
    await this.agree(topic);
    if (this.partitions === 1 || !isTopicName(topic)) return this.open(topic, resolved, handler);
    if (partition === undefined) return this.openAll(topic, resolved, handler);
    try {
      return await this.open(partitionTopic(topic, partition), { ...resolved, type: 'exclusive' }, handler);
    } catch (err) {
      throw new Error(
        `partition ${partition} of ${topic} (subscription '${options.subscription}') is consumed by one replica at a time, and another holds it: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  /** Every partition of a topic under one subscription (readers of the whole topic: the gateway's stream, tools). */
  private async openAll(
    topic: string,
    options: ResolvedSubscribeOptions,
    handler: ConsumerHandler,
  ): Promise<Subscription> {
    const parts: Subscription[] = [];
    try {
      for (let i = 0; i < this.partitions; i++)
        parts.push(await this.open(partitionTopic(topic, i), options, handler));
    } catch (err) {
      await Promise.all(parts.map((p) => p.close()));
      throw err;
    }
    return {
      topic,
      subscription: options.subscription,
      close: async () => void (await Promise.all(parts.map((p) => p.close()))),
    };
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
