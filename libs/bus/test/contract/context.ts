import type { Delivery, MessageBus, SubscribeOptions, Subscription } from '../../src/index.js';
import type { ConsumerProcess } from '../helpers.js';

/** What a bus adapter's test file provides: clients of one bus, and a way to break the rules. */
export interface BusHarness {
  readonly name: string;
  /** Opens one more client of the same bus, as another process would. */
  open(): Promise<MessageBus>;
  /** Publishes bytes as they are, without validation, as a broken producer would. */
  publishRaw(topic: string, body: string, key: string): Promise<void>;
  /** Environment for fixtures/consumer-process.ts to reach the same bus. */
  childEnv: Record<string, string>;
  /**
   * A bus of its own whose contract topics have `partitions` partitions (a new bus file, or a new Pulsar
   * namespace set up with partitioned topics); `open(n)` opens one more client of that same bus with
   * PARTITIONS=n (n may differ: that is a misconfigured replica).
   */
  partitioned(
    partitions: number,
  ): Promise<{ open(partitions: number): Promise<MessageBus>; close(): Promise<void> }>;
  /** Only where the adapter enforces retention itself (Pulsar leaves it to the namespace policy in infra/). */
  retention?: {
    open(retentionMs: number): Promise<MessageBus>;
    prune(): Promise<unknown>;
    stored(topic: string): number;
  };
  close(): Promise<void>;
}

/** One test's bus, topic and helpers; renewed before every test (so read its fields inside the tests). */
export interface ContractContext {
  harness: BusHarness;
  bus: MessageBus;
  topic: string;
  /** Subscriptions to close after the test. */
  subscriptions: Subscription[];
  /** Subscribes `on` (to this test's topic by default), keeping every delivery; closed after the test. */
  collect(
    on: MessageBus,
    options: SubscribeOptions,
    behaviour?: (d: Delivery) => Promise<void> | void,
    name?: string,
  ): Promise<{ deliveries: Delivery[]; sub: Subscription }>;
  /** Starts a consumer process on this test's topic; killed after the test. */
  child(env: Record<string, string>): Promise<ConsumerProcess>;
}

export const FAST_RETRY = { maxAttempts: 3, backoffBaseMs: 100, backoffMaxMs: 1000 };
export const n = (d: Delivery) => (d.envelope.payload as { n: number }).n;
