import { deadLetterTopic, type OutgoingMessage } from '@stockpulse/contracts';
import { BaseBus, type ResolvedSubscribeOptions } from '../base-bus.js';
import {
  type BusObserver,
  type ConsumerHandler,
  type DeadLetterQueue,
  type RetryPolicy,
  type Subscription,
} from '../port.js';
import type * as Pulsar from 'pulsar-client';
import { loadPulsarClient, type PulsarModule } from './load-client.js';
import { PulsarConsumer } from './pulsar-consumer.js';
import { defaultAdminUrl, pulsarDeadLetters } from './pulsar-dead-letters.js';

export interface PulsarBusOptions {
  /** e.g. `pulsar://localhost:6650` */
  url: string;
  /** Topics live at `persistent://<namespace>/<name>`. Default `public/default`. */
  namespace?: string;
  /** The admin REST API (dead-letter depths). Default: the broker's host on port 8080. */
  adminUrl?: string;
  operationTimeoutSeconds?: number;
  /** Producer batching window: sends within it travel in one batch. Default 5 ms. */
  batchingMaxPublishDelayMs?: number;
  /** The retry policy of subscriptions that do not set one (DEFAULT_RETRY otherwise). */
  retry?: Partial<RetryPolicy>;
  observer?: BusObserver;
  onError?: (err: unknown) => void;
}

/** The same port on Apache Pulsar, through the official client (C++ core, N-API binding). */
export class PulsarBus extends BaseBus {
  readonly kind = 'pulsar' as const;
  private readonly client: Pulsar.Client;
  private readonly producers = new Map<string, Promise<Pulsar.Producer>>();
  private readonly dead: ReturnType<typeof pulsarDeadLetters>;

  constructor(
    private readonly options: PulsarBusOptions,
    pulsar: PulsarModule = loadPulsarClient(),
  ) {
    super(options.retry);
    this.client = new pulsar.Client({
      serviceUrl: options.url,
      operationTimeoutSeconds: options.operationTimeoutSeconds ?? 30,
      log: (level, file, line, text) => {
        if (Number(level) >= 3) options.onError?.(new Error(`pulsar-client: ${text} (${file}:${line})`));
      },
    });
    this.dead = pulsarDeadLetters({
      client: this.client,
      adminUrl: options.adminUrl ?? defaultAdminUrl(options.url),
      namespace: this.namespace,
      topicUrl: (name) => this.topicUrl(name),
      sendRaw: (topic, data, key, properties) => this.sendRaw(topic, data, key, properties),
    });
  }

  private get namespace(): string {
    return this.options.namespace ?? 'public/default';
  }

  topicUrl(name: string): string {
    return `persistent://${this.namespace}/${name}`;
  }

  private producer(topic: string): Promise<Pulsar.Producer> {
    let producer = this.producers.get(topic);
    if (!producer) {
      producer = this.client.createProducer({
        topic: this.topicUrl(topic),
        batchingEnabled: true,
        // a batch goes whole to one consumer: key-based batches keep key_shared subscriptions correct
        batchingType: 'KeyBasedBatching',
        batchingMaxPublishDelayMs: this.options.batchingMaxPublishDelayMs ?? 5,
        blockIfQueueFull: true,
        maxPendingMessages: 10_000,
      });
      producer.catch(() => this.producers.delete(topic));
      this.producers.set(topic, producer);
    }
    return producer;
  }

  /** Sends raw bytes as they are (dead letters, tests of invalid messages); no validation. */
  async sendRaw(
    topic: string,
    data: Buffer,
    key: string,
    properties: Record<string, string> = {},
  ): Promise<void> {
    const producer = await this.producer(topic);
    await producer.send({ data, partitionKey: key, orderingKey: key, properties });
  }

  async publishMany(messages: readonly OutgoingMessage[]): Promise<void> {
    this.validate(messages);
    // every send is started before any is awaited, so the producer batches them
    const sends: Promise<unknown>[] = [];
    const counts = new Map<string, number>();
    for (const m of messages) {
      const { envelope } = m;
      const properties = { id: envelope.id, type: envelope.type, version: String(envelope.version) };
      const data = Buffer.from(JSON.stringify(envelope));
      sends.push(
        this.producer(m.topic).then((p) =>
          p.send({ data, partitionKey: m.key, orderingKey: m.key, properties }),
        ),
      );
      counts.set(m.topic, (counts.get(m.topic) ?? 0) + 1);
    }
    await Promise.all(sends);
    for (const [topic, n] of counts) this.options.observer?.published?.(topic, n);
  }

  protected async open(
    topic: string,
    options: ResolvedSubscribeOptions,
    handler: ConsumerHandler,
  ): Promise<Subscription> {
    const dlq = deadLetterTopic(topic, options.subscription);
    const consumer = await PulsarConsumer.open(
      this.client,
      {
        topic,
        subscription: options.subscription,
        topicUrl: this.topicUrl(topic),
        deadLetterTopicUrl: this.topicUrl(dlq),
        type: options.type,
        initialPosition: options.initialPosition,
        policy: options.retry,
      },
      {
        handler,
        observer: this.options.observer,
        onError: (err) => this.options.onError?.(err),
        deadLetter: (data, key, properties) => this.sendRaw(dlq, data, key, properties),
      },
    );
    return this.track(consumer, topic, options.subscription);
  }

  protected listDeadLetters(): Promise<DeadLetterQueue[]> {
    return this.dead.list();
  }

  protected moveDeadLetters(deadLetterTopic: string, limit: number): Promise<number> {
    return this.dead.replay(deadLetterTopic, limit);
  }

  /** A topic lookup goes to the broker: it answers only when the broker is reachable. */
  async ping(): Promise<void> {
    this.assertOpen();
    await this.client.getPartitionsForTopic(this.topicUrl('stockpulse.inventory-events'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.closeSubscriptions();
    const producers = await Promise.allSettled(this.producers.values());
    for (const p of producers) {
      if (p.status === 'fulfilled')
        await p.value.flush().then(
          () => p.value.close(),
          () => p.value.close(),
        );
    }
    await this.client.close();
  }
}
