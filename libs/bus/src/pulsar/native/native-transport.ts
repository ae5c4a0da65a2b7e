import type * as Pulsar from 'pulsar-client';
import {
  NACK_DELAY_MS,
  type ConsumerSpec,
  type OutgoingRaw,
  type PulsarTransport,
  type ReceivedRaw,
  type TransportConsumer,
} from '../transport.js';
import type { PulsarModule } from './load-client.js';

const TYPES: Record<ConsumerSpec['type'], Pulsar.SubscriptionType> = {
  exclusive: 'Exclusive',
  shared: 'Shared',
  key_shared: 'KeyShared',
};

export interface NativeOptions {
  url: string;
  /** For a broker that advertises several listeners (e.g. inside and outside a compose network). */
  listenerName?: string;
  onError: (err: unknown) => void;
}

/**
 * The official client (`pulsar-client`: the C++ core behind an N-API binding), where its binding loads: the
 * container images build it. Sends are batched by key (a batch goes whole to one key_shared consumer), all
 * started before any is awaited.
 */
export class NativeTransport implements PulsarTransport {
  readonly client = 'native' as const;
  private readonly pulsar: Pulsar.Client;
  private readonly producers = new Map<string, Promise<Pulsar.Producer>>();

  constructor(module: PulsarModule, options: NativeOptions) {
    this.pulsar = new module.Client({
      serviceUrl: options.url,
      operationTimeoutSeconds: 30,
      ...(options.listenerName ? { listenerName: options.listenerName } : {}),
      log: (level, file, line, text) => {
        if (Number(level) >= 3) options.onError(new Error(`pulsar-client: ${text} (${file}:${line})`));
      },
    });
  }

  private producer(topic: string): Promise<Pulsar.Producer> {
    let producer = this.producers.get(topic);
    if (!producer) {
      producer = this.pulsar.createProducer({
        topic,
        batchingEnabled: true,
        batchingType: 'KeyBasedBatching',
        batchingMaxPublishDelayMs: 5,
        blockIfQueueFull: true,
        maxPendingMessages: 10_000,
      });
      producer.catch(() => this.producers.delete(topic));
      this.producers.set(topic, producer);
    }
    return producer;
  }

  async send(topic: string, messages: readonly OutgoingRaw[]): Promise<void> {
    const producer = await this.producer(topic);
    await Promise.all(
      messages.map((m) =>
        producer.send({ data: m.data, partitionKey: m.key, orderingKey: m.key, properties: m.properties }),
      ),
    );
  }

  async subscribe(spec: ConsumerSpec): Promise<TransportConsumer> {
    const consumer = await this.pulsar.subscribe({
      topic: spec.topic,
      subscription: spec.subscription,
      subscriptionType: TYPES[spec.type],
      subscriptionInitialPosition: spec.initialPosition === 'earliest' ? 'Earliest' : 'Latest',
      nAckRedeliverTimeoutMs: NACK_DELAY_MS,
      receiverQueueSize: spec.receiverQueueSize,
      // after the first message (awaited), what else has arrived within a millisecond
      batchReceivePolicy: { maxNumMessages: Math.max(1, spec.receiverQueueSize), timeoutMs: 1 },
      ...(spec.deadLetter
        ? {
            deadLetterPolicy: {
              deadLetterTopic: spec.deadLetter.topic,
              maxRedeliverCount: spec.deadLetter.maxRedeliverCount,
            },
          }
        : {}),
    });
    return new NativeConsumer(consumer);
  }

  async ping(topic: string): Promise<void> {
    await this.pulsar.getPartitionsForTopic(topic);
  }

  async close(): Promise<void> {
    const producers = await Promise.allSettled(this.producers.values());
    await Promise.allSettled(
      producers.map(async (p) => {
        if (p.status === 'fulfilled') await p.value.flush().finally(() => p.value.close());
      }),
    );
    await this.pulsar.close();
  }
}

/** receive(): one message awaited (no libuv thread held), then what else has arrived, handed out `max` at a time. */
class NativeConsumer implements TransportConsumer {
  private readonly messages = new Map<string, Pulsar.Message>();
  private readonly arrived: Pulsar.Message[] = [];
  private closed = false;

  constructor(private readonly consumer: Pulsar.Consumer) {}

  async receive(max: number, waitMs?: number): Promise<ReceivedRaw[]> {
    if (this.closed) return [];
    if (!this.arrived.length) {
      try {
        this.arrived.push(
          await (waitMs === undefined ? this.consumer.receive() : this.consumer.receive(waitMs)),
        );
      } catch (err) {
        if (this.closed || (waitMs !== undefined && /Timeout/i.test(String(err)))) return [];
        throw err;
      }
      // what else is in the client's queue (the policy waits a millisecond at most); kept, never dropped
      this.arrived.push(...(await this.consumer.batchReceive().catch(() => [])));
    }
    return this.arrived.splice(0, max).map((m) => this.wrap(m));
  }

  private wrap(m: Pulsar.Message): ReceivedRaw {
    const id = m.getMessageId().toString();
    this.messages.set(id, m);
    const key = m.getPartitionKey() ?? '';
    const redeliveryCount = m.getRedeliveryCount();
    return { id, key, data: m.getData(), properties: m.getProperties(), redeliveryCount };
  }

  ack(message: ReceivedRaw): void {
    const m = this.messages.get(message.id);
    this.messages.delete(message.id);
    if (m) void this.consumer.acknowledge(m).catch(() => {}); // not acknowledged: delivered again
  }

  nack(message: ReceivedRaw): void {
    const m = this.messages.get(message.id);
    this.messages.delete(message.id);
    if (m) this.consumer.negativeAcknowledge(m);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.consumer.close();
  }
}
