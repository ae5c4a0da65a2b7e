import type { InitialPosition, SubscriptionType } from '../port.js';

/** The broker's delay before it redelivers a negatively acknowledged message; our backoff waits the rest. */
export const NACK_DELAY_MS = 100;

/**
 * The thin client layer under PulsarBus. A transport only moves bytes: topic naming, retries and backoff, dead
 * letters and replay, batching for handlers and the crash ledger are PulsarBus's, written once for both clients
 * (the official `pulsar-client`, and Pulsar's WebSocket API).
 */
export interface PulsarTransport {
  readonly client: 'native' | 'websocket';
  /** Sends messages to one topic, all in flight together; resolves once the broker has stored every one. */
  send(topic: string, messages: readonly OutgoingRaw[]): Promise<void>;
  subscribe(spec: ConsumerSpec): Promise<TransportConsumer>;
  /** Resolves when the broker answers this client (readiness). */
  ping(topic: string): Promise<void>;
  close(): Promise<void>;
}

export interface OutgoingRaw {
  data: Buffer;
  key: string;
  properties: Record<string, string>;
}

export interface ConsumerSpec {
  /** Full topic URL (`persistent://…`). */
  topic: string;
  subscription: string;
  type: SubscriptionType;
  initialPosition: InitialPosition;
  /** Messages the broker may push ahead of acknowledgements. */
  receiverQueueSize: number;
  /**
   * Pulsar's dead-letter policy (run by the client: the C++ client, or the broker's WebSocket proxy): after this
   * many redeliveries a message goes to `topic` (full URL).
   */
  deadLetter?: { topic: string; maxRedeliverCount: number };
}

export interface ReceivedRaw {
  /** The message id, stable across redeliveries (the crash ledger's key). */
  id: string;
  key: string;
  data: Buffer;
  properties: Record<string, string>;
  /** Redeliveries the broker counted (negative acknowledgements; not a consumer's crash). */
  redeliveryCount: number;
}

export interface TransportConsumer {
  /**
   * What has arrived, at least one message and at most `max`, in delivery order; waits up to `waitMs` (forever
   * when absent) for the first. Resolves empty on timeout, and on close.
   */
  receive(max: number, waitMs?: number): Promise<ReceivedRaw[]>;
  ack(message: ReceivedRaw): void;
  /** Asks the broker to deliver it again (after its redelivery delay), counting one more redelivery. */
  nack(message: ReceivedRaw): void;
  /** Acknowledgements sent so far are flushed first. */
  close(): Promise<void>;
}
