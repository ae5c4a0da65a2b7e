import { deadLetterTopic, type OutgoingMessage } from '@stockpulse/contracts';
import { join } from 'node:path';
import { BaseBus, type Backlog, type ResolvedSubscribeOptions } from '../base-bus.js';
import type { BusObserver, ConsumerHandler, DeadLetterQueue, RetryPolicy, Subscription } from '../port.js';
import { PulsarAdmin, PulsarAdminError } from './admin.js';
import { chooseClient, type PulsarClientChoice } from './choose-client.js';
import { InHandLedger } from './in-hand.js';
import { defaultAdminUrl, topicUrl } from './names.js';
import { PulsarConsumer } from './pulsar-consumer.js';
import { replayDeadLetters } from './replay.js';
import { ensureDeadLetterTopic, REPLAY_SUBSCRIPTION } from './setup.js';
import type { OutgoingRaw, PulsarTransport } from './transport.js';

export interface PulsarBusOptions {
  /** e.g. `pulsar://localhost:6650` */
  url: string;
  /** The admin REST API, which also serves the WebSocket API. Default: the broker's host on port 8080. */
  adminUrl?: string;
  /** Topics live at `persistent://<namespace>/<name>`. Default `public/default`. */
  namespace?: string;
  /** Which client carries the messages (default `auto`: the native one where its binding loads). */
  client?: PulsarClientChoice;
  /** Where the in-hand ledger lives (a service's DATA_DIR); in memory without one. */
  stateDir?: string;
  /** The listener to use on a broker that advertises several (native client). */
  listenerName?: string;
  /** Partitions of each contract topic (see BaseBus); the topics must have been set up with as many. */
  partitions?: number;
  /** The retry policy of subscriptions that do not set one (DEFAULT_RETRY otherwise). */
  retry?: Partial<RetryPolicy>;
  observer?: BusObserver;
  onError?: (err: unknown) => void;
}

/** Messages a consumer takes at once when its subscription sets no batchSize (the embedded bus's default). */
const BATCH_SIZE = 256;

/**
 * The port on Apache Pulsar, over either client layer (choose-client.ts). Written once here: topic naming,
 * subscription mapping, validation, the consumer loop with batches, retries and dead letters
 * (pulsar-consumer.ts), the dead-letter topics with their `replay` subscription, their depths from the admin
 * API and their replay.
 */
export class PulsarBus extends BaseBus {
  readonly kind = 'pulsar' as const;
  readonly description: string;
  private readonly transport: PulsarTransport;
  private readonly admin: PulsarAdmin;
  private readonly ledger: InHandLedger;
  private readonly namespace: string;
  private readonly onError: (err: unknown) => void;

  constructor(private readonly options: PulsarBusOptions) {
    super(options.retry, options.partitions);
    this.namespace = options.namespace ?? 'public/default';
    this.onError = options.onError ?? (() => {});
    const adminUrl = options.adminUrl ?? defaultAdminUrl(options.url);
    this.admin = new PulsarAdmin(adminUrl);
    const chosen = chooseClient(
      options.client ?? 'auto',
      { url: options.url, adminUrl, listenerName: options.listenerName },
      this.onError,
    );
    this.transport = chosen.transport;
    this.description = `Apache Pulsar (${this.namespace}) through ${chosen.description}`;
    this.ledger = new InHandLedger(
      options.stateDir ? join(options.stateDir, 'pulsar-in-hand.db') : undefined,
    );
  }

  get client(): PulsarTransport['client'] {
    return this.transport.client;
  }

  private url(name: string): string {
    return topicUrl(this.namespace, name);
  }

  /** Sends bytes as they are (dead letters, replays, tests of invalid messages); no validation. */
  sendRaw(topic: string, data: Buffer, key: string, properties: Record<string, string> = {}): Promise<void> {
    return this.transport.send(this.url(topic), [{ data, key, properties }]);
  }

  protected async send(messages: readonly OutgoingMessage[]): Promise<void> {
    const byTopic = new Map<string, OutgoingRaw[]>();
    for (const { topic, key, envelope } of messages) {
      const properties = { id: envelope.id, type: envelope.type, version: String(envelope.version) };
      const raw = { data: Buffer.from(JSON.stringify(envelope)), key, properties };
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), raw]);
    }
    await Promise.all([...byTopic].map(([topic, raws]) => this.transport.send(this.url(topic), raws)));
    for (const [topic, raws] of byTopic) this.options.observer?.published?.(topic, raws.length);
  }

  protected async open(
    topic: string,
    options: ResolvedSubscribeOptions,
    handler: ConsumerHandler,
  ): Promise<Subscription> {
    const { subscription, type, initialPosition, retry: policy } = options;
    const dlq = deadLetterTopic(topic, subscription);
    // a dead-letter topic's own subscriptions get no pre-made dead-letter topic (nor a place in the list)
    if (!topic.endsWith('.dlq')) await ensureDeadLetterTopic(this.admin, this.namespace, topic, subscription);
    const batchSize = options.batchSize ?? BATCH_SIZE;
    const consumer = await this.transport.subscribe({
      topic: this.url(topic),
      subscription,
      type,
      initialPosition,
      receiverQueueSize: Math.min(1000, Math.max(100, batchSize)),
      // Pulsar's own policy backs ours up; ours dead-letters before it would (with the error)
      deadLetter: { topic: this.url(dlq), maxRedeliverCount: policy.maxAttempts },
    });
    const target = {
      topic,
      subscription,
      scope: `${this.url(topic)}/${subscription}`,
      type,
      policy,
      batchSize,
    };
    const running = new PulsarConsumer(consumer, target, {
      handler,
      observer: this.options.observer,
      onError: this.onError,
      ledger: this.ledger,
      deadLetter: (m, properties) => this.sendRaw(dlq, m.data, m.key, properties),
    });
    return this.track(running, topic, subscription);
  }

  /**
   * The topic's partitions as the broker has them (a topic that is not partitioned has 1). A topic not made
   * yet is made with this process's count, as the embedded bus records the first process's: a second process
   * making it at the same time gets 409, and the count the first made.
   */
  protected async topicPartitions(topic: string): Promise<number> {
    const url = this.url(topic);
    try {
      return Math.max(1, await this.admin.partitions(url));
    } catch (err) {
      if (!(err instanceof PulsarAdminError && err.status === 404)) throw err;
    }
    if (this.partitions > 1) await this.admin.createPartitionedTopic(this.namespace, topic, this.partitions);
    else await this.admin.createTopic(this.namespace, topic);
    return Math.max(1, await this.admin.partitions(url));
  }

  protected async backlog(topic: string): Promise<Backlog[]> {
    const stats = await this.admin.subscriptionStats(this.namespace, topic);
    return Object.entries(stats).map(([subscription, s]) => ({
      subscription,
      messages: s.msgBacklog ?? 0,
      consumers: s.consumers?.length ?? 0,
    }));
  }

  /** Only more: Pulsar keeps a partitioned topic's partitions (and cannot make a plain topic partitioned). */
  protected async setTopicPartitions(topic: string, from: number, to: number): Promise<void> {
    if (to < from || from === 1)
      throw new Error(
        `${topic} has ${from} partition${from === 1 ? '' : 's'}: Pulsar only adds partitions to a partitioned topic, so ${to} cannot be had by re-partitioning (start again with a fresh namespace and replay the history)`,
      );
    await this.admin.updatePartitions(this.namespace, topic, to);
  }

  /** Every subscription's dead-letter topic: the depth is its `replay` subscription's backlog. */
  protected async listDeadLetters(): Promise<DeadLetterQueue[]> {
    const ns = this.namespace;
    const topics = (await this.admin.topics(ns)).filter((t) => !t.endsWith('.dlq'));
    const pairs = await Promise.all(
      topics.map(async (topic) => (await this.admin.subscriptions(ns, topic)).map((s) => ({ topic, s }))),
    );
    return Promise.all(
      pairs.flat().map(async ({ topic, s }) => {
        const dlq = deadLetterTopic(topic, s);
        const depth = await this.admin.backlog(ns, dlq, REPLAY_SUBSCRIPTION);
        return { topic: dlq, originTopic: topic, subscription: s, depth };
      }),
    );
  }

  protected async moveDeadLetters(dlq: string, limit: number): Promise<number> {
    const waiting = await this.admin.backlog(this.namespace, dlq, REPLAY_SUBSCRIPTION);
    return replayDeadLetters(this.transport, dlq, limit, waiting, (name) => this.url(name));
  }

  /** A topic lookup goes to the broker: it answers only when the broker is reachable. */
  async ping(): Promise<void> {
    this.assertOpen();
    await this.transport.ping(this.url('stockpulse.inventory-events'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.closeSubscriptions();
    } finally {
      try {
        await this.transport.close();
      } finally {
        this.ledger.close();
      }
    }
  }
}
