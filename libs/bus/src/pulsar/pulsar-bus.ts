import {
  assertValidEnvelope,
  deadLetterTopic,
  message,
  type Envelope,
  type EnvelopeMeta,
  type OutgoingMessage,
  type PayloadOf,
  type TopicName,
} from '@stockpulse/contracts';
import type * as Pulsar from 'pulsar-client';
import {
  checkName,
  DEFAULT_RETRY,
  type BusObserver,
  type Handler,
  type MessageBus,
  type SubscribeOptions,
  type Subscription,
} from '../port.js';
import { loadPulsarClient, type PulsarModule } from './load-client.js';
import { PulsarConsumer } from './pulsar-consumer.js';

export interface PulsarBusOptions {
  /** e.g. `pulsar://localhost:6650` */
  url: string;
  /** Topics live at `persistent://<namespace>/<name>`. Default `public/default`. */
  namespace?: string;
  operationTimeoutSeconds?: number;
  /** Producer batching window: sends within it travel in one batch. Default 5 ms. */
  batchingMaxPublishDelayMs?: number;
  observer?: BusObserver;
  onError?: (err: unknown) => void;
}

/** The same port on Apache Pulsar, through the official client (C++ core, N-API binding). */
export class PulsarBus implements MessageBus {
  readonly kind = 'pulsar' as const;
  private readonly client: Pulsar.Client;
  private readonly producers = new Map<string, Promise<Pulsar.Producer>>();
  private readonly consumers = new Set<PulsarConsumer>();
  private closed = false;

  constructor(
    private readonly options: PulsarBusOptions,
    pulsar: PulsarModule = loadPulsarClient(),
  ) {
    this.client = new pulsar.Client({
      serviceUrl: options.url,
      operationTimeoutSeconds: options.operationTimeoutSeconds ?? 30,
      log: (level, file, line, text) => {
        if (Number(level) >= 3) options.onError?.(new Error(`pulsar-client: ${text} (${file}:${line})`));
      },
    });
  }

  topicUrl(name: string): string {
    return `persistent://${this.options.namespace ?? 'public/default'}/${name}`;
  }

  private producer(topic: string): Promise<Pulsar.Producer> {
    let producer = this.producers.get(topic);
    if (!producer) {
      producer = this.client.createProducer({
        topic: this.topicUrl(topic),
        batchingEnabled: true,
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
    if (this.closed) throw new Error('the bus is closed');
    for (const m of messages) {
      checkName('topic', m.topic);
      assertValidEnvelope(m.topic, m.envelope);
    }
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

  subscribe<T extends TopicName>(
    topic: T,
    options: SubscribeOptions,
    handler: Handler<Envelope<T>>,
  ): Promise<Subscription>;
  subscribe(topic: string, options: SubscribeOptions, handler: Handler): Promise<Subscription>;
  async subscribe(topic: string, options: SubscribeOptions, handler: Handler): Promise<Subscription> {
    if (this.closed) throw new Error('the bus is closed');
    checkName('topic', topic);
    checkName('subscription', options.subscription);
    const policy = { ...DEFAULT_RETRY, ...options.retry };
    const dlq = deadLetterTopic(topic, options.subscription);
    const consumer = await PulsarConsumer.open(
      this.client,
      {
        topic,
        subscription: options.subscription,
        topicUrl: this.topicUrl(topic),
        deadLetterTopicUrl: this.topicUrl(dlq),
        type: options.type ?? 'exclusive',
        initialPosition: options.initialPosition ?? 'earliest',
        policy,
      },
      {
        handler,
        observer: this.options.observer,
        onError: (err) => this.options.onError?.(err),
        deadLetter: (data, key, properties) => this.sendRaw(dlq, data, key, properties),
      },
    );
    this.consumers.add(consumer);
    return {
      topic,
      subscription: options.subscription,
      close: async () => {
        this.consumers.delete(consumer);
        await consumer.close();
      },
    };
  }

  /** A topic lookup goes to the broker: it answers only when the broker is reachable. */
  async ping(): Promise<void> {
    if (this.closed) throw new Error('the bus is closed');
    await this.client.getPartitionsForTopic(this.topicUrl('stockpulse.inventory-events'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.consumers].map((c) => c.close()));
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
