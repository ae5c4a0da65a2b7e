import { PulsarAdmin } from '../admin.js';
import { topicPath, webSocketBase } from '../names.js';
import type { ConsumerSpec, OutgoingRaw, PulsarTransport, TransportConsumer } from '../transport.js';
import { WsConsumer } from './ws-consumer.js';
import { WsProducer } from './ws-producer.js';

/**
 * Pulsar's own WebSocket API (served by the broker on its web port), through `ws`: no native code, so it runs
 * wherever Node does. One socket per producing topic and one per consumer.
 */
export class WebSocketTransport implements PulsarTransport {
  readonly client = 'websocket' as const;
  private readonly base: string;
  private readonly producers = new Map<string, WsProducer>();
  private readonly consumers = new Set<WsConsumer>();
  private readonly admin: PulsarAdmin;

  constructor(
    adminUrl: string,
    private readonly onError: (err: unknown) => void,
  ) {
    this.base = webSocketBase(adminUrl);
    this.admin = new PulsarAdmin(adminUrl, 5000);
  }

  send(topic: string, messages: readonly OutgoingRaw[]): Promise<void> {
    let producer = this.producers.get(topic);
    if (!producer) {
      // no broker-side batching (see WsProducer); pending sends up to the socket's own limit
      const query = 'batchingEnabled=false&maxPendingMessages=1000';
      producer = new WsProducer(`${this.base}/producer/${topicPath(topic)}?${query}`);
      this.producers.set(topic, producer);
    }
    return producer.send(messages);
  }

  async subscribe(spec: ConsumerSpec): Promise<TransportConsumer> {
    const url = `${this.base}/consumer/${topicPath(spec.topic)}/${encodeURIComponent(spec.subscription)}`;
    const consumer: WsConsumer = await WsConsumer.open(url, spec, {
      onError: this.onError,
      onClose: () => this.consumers.delete(consumer),
    });
    this.consumers.add(consumer);
    return consumer;
  }

  /** The broker's answer to a topic lookup, over the same HTTP port the sockets use. */
  async ping(topic: string): Promise<void> {
    await this.admin.partitions(topic);
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.close()));
    await Promise.all([...this.producers.values()].map((p) => p.close()));
    this.producers.clear();
  }
}
