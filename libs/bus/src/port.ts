import type {
  Envelope,
  EnvelopeMeta,
  OutgoingMessage,
  PayloadOf,
  TopicName,
  UnknownEnvelope,
} from '@stockpulse/contracts';

/**
 * - `exclusive`: one consumer at a time; a second one is refused while the first is alive.
 * - `shared`: competing consumers (across processes too); each message goes to one of them.
 * - `key_shared`: competing consumers, and all messages of one key go to one consumer at a time, in order.
 */
export type SubscriptionType = 'exclusive' | 'shared' | 'key_shared';
export type InitialPosition = 'earliest' | 'latest';

export interface RetryPolicy {
  /** Deliveries of one message before it moves to the dead-letter topic, the first included. */
  maxAttempts: number;
  /** Delay before the second delivery; doubles on each further one (±10 % jitter). */
  backoffBaseMs: number;
  /** Cap on the delay between two deliveries. */
  backoffMaxMs: number;
}

export interface SubscribeOptions {
  /** Durable subscription name: its position survives restarts of every consumer. */
  subscription: string;
  /** Defaults to `exclusive`, as on Pulsar. */
  type?: SubscriptionType;
  /** Where a new subscription starts; an existing one keeps its position. Defaults to `earliest`. */
  initialPosition?: InitialPosition;
  retry?: Partial<RetryPolicy>;
  /**
   * Most messages one batch handler call gets (the bus's default otherwise). Larger batches cost fewer
   * transactions while a consumer catches up; a consumer that keeps up gets what is there, so latency does
   * not grow. An adapter may hand over smaller batches (Pulsar's: one message each).
   */
  batchSize?: number;
  /**
   * With PARTITIONS > 1: the one partition this consumer (replica) owns, consumed exclusively; undefined:
   * every partition (readers of the whole topic). Out of range (0 … PARTITIONS − 1) is refused.
   */
  partition?: number;
}

export interface Delivery<E = UnknownEnvelope> {
  topic: string;
  subscription: string;
  key: string;
  envelope: E;
  /** 1 on the first delivery; higher after a failed attempt or a consumer crash. */
  attempt: number;
  /** Transport properties; on a dead-letter topic they say why the message got there (`dead_letter_*`). */
  properties: Readonly<Record<string, string>>;
}

/**
 * Handles one message. Resolving acknowledges it; throwing schedules a redelivery with backoff, and after
 * `maxAttempts` moves it to the dead-letter topic. Handlers never acknowledge anything themselves.
 */
export type Handler<E = UnknownEnvelope> = (delivery: Delivery<E>) => Promise<void> | void;

/**
 * Handles the messages of one batch together (say, in one database transaction: far cheaper than one each).
 * Resolving acknowledges them all; throwing hands each of them to the handler again, alone, so that only the
 * message at fault is retried and, in the end, dead-lettered. Order within a batch is delivery order.
 */
export type BatchHandler<E = UnknownEnvelope> = (deliveries: Delivery<E>[]) => Promise<void> | void;

/** A consumer's handler, one message at a time or a batch at a time. */
export type ConsumerHandler = { one: Handler } | { batch: BatchHandler };

export interface Subscription {
  readonly topic: string;
  readonly subscription: string;
  /** Stops receiving, waits for the message being handled, acknowledges what was handled, leaves. */
  close(): Promise<void>;
}

/** Counts for metrics; every callback is optional and must not throw. */
export interface BusObserver {
  published?(topic: string, count: number): void;
  handled?(event: {
    topic: string;
    subscription: string;
    outcome: 'acked' | 'retried' | 'dead_lettered';
    attempt: number;
    seconds: number;
  }): void;
}

/** The dead-letter topic of one subscription and how many messages wait in it. */
export interface DeadLetterQueue {
  /** `<topic>.<subscription>.dlq` */
  topic: string;
  originTopic: string;
  subscription: string;
  /** Messages waiting to be replayed or looked at. */
  depth: number;
}

/** The port every service talks to. Broker types never leave libs/bus. */
export interface MessageBus {
  readonly kind: 'embedded' | 'pulsar';
  /** Where the messages go and through which client, for a service's first log lines. */
  readonly description: string;
  /** Validates, wraps in the envelope and publishes one payload; resolves once the broker has it durably. */
  publish<T extends TopicName>(topic: T, payload: PayloadOf<T>, meta: EnvelopeMeta): Promise<Envelope<T>>;
  /** Publishes prepared messages (see `message()`); validated again here; resolves once all are durable. */
  publishMany(messages: readonly OutgoingMessage[]): Promise<void>;
  /** Subscribes to a contract topic; every delivery has passed its topic's schema. */
  subscribe<T extends TopicName>(
    topic: T,
    options: SubscribeOptions,
    handler: Handler<Envelope<T>>,
  ): Promise<Subscription>;
  /** Subscribes to any topic (dead letters, tools): only the envelope shape is checked. */
  subscribe(topic: string, options: SubscribeOptions, handler: Handler): Promise<Subscription>;
  /** Like `subscribe`, handing over the messages a batch at a time (see BatchHandler). */
  subscribeBatch<T extends TopicName>(
    topic: T,
    options: SubscribeOptions,
    handler: BatchHandler<Envelope<T>>,
  ): Promise<Subscription>;
  subscribeBatch(topic: string, options: SubscribeOptions, handler: BatchHandler): Promise<Subscription>;
  /** Every subscription's dead-letter topic, with its depth. */
  deadLetters(): Promise<DeadLetterQueue[]>;
  /**
   * Moves up to `limit` of the oldest messages of a dead-letter topic back to the topic they came from, as
   * they were (same key, same envelope id: consumers that handled them before skip them in their inbox), and
   * removes them from the dead-letter topic. Resolves with how many moved.
   */
  replayDeadLetters(deadLetterTopic: string, limit: number): Promise<number>;
  /**
   * Offline, with no consumer running: gives each of `topics` `partitions` partitions; refused while a
   * subscription `counts` names has messages left on one (and on Pulsar, for fewer partitions).
   */
  repartition(
    topics: readonly string[],
    partitions: number,
    counts: (subscription: string) => boolean,
  ): Promise<void>;
  /** Resolves when the bus can publish and consume; rejects with the reason otherwise (readiness). */
  ping(): Promise<void>;
  /** Closes every subscription (waiting for handlers in flight) and the connection. */
  close(): Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, backoffBaseMs: 500, backoffMaxMs: 60_000 };

/** A topic or subscription name both adapters accept. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

const checkedNames = new Set<string>();
/** Throws when `name` is not a valid topic or subscription name (remembers the valid ones: a hot path). */
export function checkName(what: 'topic' | 'subscription', name: string): void {
  if (checkedNames.has(name)) return;
  if (!NAME_PATTERN.test(name)) throw new Error(`invalid ${what} name '${name}'`);
  if (checkedNames.size < 10_000) checkedNames.add(name);
}
