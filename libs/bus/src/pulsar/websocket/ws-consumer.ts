import type WebSocket from 'ws';
import { NACK_DELAY_MS, type ConsumerSpec, type ReceivedRaw, type TransportConsumer } from '../transport.js';
import { openSocket } from './open-socket.js';

const TYPES = { exclusive: 'Exclusive', shared: 'Shared', key_shared: 'Key_Shared' } as const;

interface Pushed {
  messageId: string;
  payload: string;
  properties?: Record<string, string>;
  key?: string;
  redeliveryCount?: number;
}

/** Messages the broker may push ahead of what the consumer has taken (its side caps it at 1000). */
const permits = (spec: ConsumerSpec) => Math.min(1000, spec.receiverQueueSize);

/** The query of `/ws/v2/consumer/…`: Pulsar 4.0's WebSocket consumer parameters. */
export function consumerQuery(spec: ConsumerSpec): string {
  const query = new URLSearchParams({
    subscriptionType: TYPES[spec.type],
    subscriptionInitialPosition: spec.initialPosition === 'earliest' ? 'Earliest' : 'Latest',
    // the broker side caps it at 1000
    receiverQueueSize: String(permits(spec)),
    negativeAckRedeliveryDelay: String(NACK_DELAY_MS),
    // we say how many messages we take (see WsConsumer)
    pullMode: 'true',
  });
  if (spec.deadLetter) {
    query.set('deadLetterTopic', spec.deadLetter.topic);
    query.set('maxRedeliverCount', String(spec.deadLetter.maxRedeliverCount));
  }
  return query.toString();
}

/**
 * One consumer over `/ws/v2/consumer/…` in pull mode: it grants the broker `permits` messages at the start,
 * and one more for each message `receive` takes, so the broker keeps that many waiting here. (In push mode
 * the broker side counts messages out and acknowledgements in to decide when to push again; in a crash
 * soak it stopped pushing for good with 66 redelivered messages in hand, until the socket closed.) A socket
 * that drops is opened again (with backoff); what it had delivered and not acknowledged comes again from the
 * broker, so it is dropped here.
 */
export class WsConsumer implements TransportConsumer {
  private buffer: ReceivedRaw[] = [];
  private wake: (() => void) | undefined;
  private closing = false;
  private socket: WebSocket | undefined;
  private reconnecting: Promise<void> | undefined;
  /** Ends the wait between two reconnection attempts (on close). */
  private stopWaiting: (() => void) | undefined;

  private constructor(
    private readonly url: string,
    private readonly permits: number,
    private readonly hooks: { onError: (err: unknown) => void; onClose: () => void },
  ) {}

  static async open(base: string, spec: ConsumerSpec, hooks: WsConsumer['hooks']): Promise<WsConsumer> {
    const consumer = new WsConsumer(`${base}?${consumerQuery(spec)}`, permits(spec), hooks);
    consumer.attach(await openSocket(consumer.url));
    return consumer;
  }

  private permit(count: number): void {
    if (count > 0) this.socket?.send(JSON.stringify({ type: 'permit', permitMessages: count }));
  }

  private attach(socket: WebSocket): void {
    this.socket = socket;
    socket.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString()) as Pushed;
      if (!m.messageId) return;
      this.buffer.push({
        id: m.messageId,
        key: m.key ?? '',
        data: Buffer.from(m.payload, 'base64'),
        properties: m.properties ?? {},
        redeliveryCount: m.redeliveryCount ?? 0,
      });
      this.wake?.();
    });
    socket.once('close', () => {
      this.socket = undefined;
      this.buffer = [];
      if (!this.closing) this.reconnecting ??= this.reconnect();
    });
    socket.on('error', (err) => this.hooks.onError(err));
    this.permit(this.permits);
  }

  private async reconnect(): Promise<void> {
    for (let delay = 250; !this.closing; delay = Math.min(delay * 2, 5000)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.stopWaiting = () => (clearTimeout(timer), resolve());
      });
      this.stopWaiting = undefined;
      if (this.closing) break;
      try {
        const socket = await openSocket(this.url);
        if (this.closing) socket.close();
        else this.attach(socket);
        break;
      } catch (err) {
        this.hooks.onError(err);
      }
    }
    this.reconnecting = undefined;
  }

  async receive(max: number, waitMs?: number): Promise<ReceivedRaw[]> {
    if (!this.buffer.length && !this.closing) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        if (waitMs !== undefined) timer = setTimeout(resolve, waitMs);
      });
      clearTimeout(timer);
      this.wake = undefined;
    }
    // taken after the wake-up's microtask: every frame of the same network read is in the buffer by then
    if (this.closing) return [];
    const taken = this.buffer.splice(0, max);
    this.permit(taken.length);
    return taken;
  }

  ack(message: ReceivedRaw): void {
    this.socket?.send(JSON.stringify({ messageId: message.id }));
  }

  nack(message: ReceivedRaw): void {
    this.socket?.send(JSON.stringify({ type: 'negativeAcknowledge', messageId: message.id }));
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wake?.();
    this.stopWaiting?.();
    await this.reconnecting; // an attempt under way closes the socket it gets
    const socket = this.socket;
    // a close frame goes after the acknowledgements already queued on the socket
    if (socket)
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    this.hooks.onClose();
  }
}
