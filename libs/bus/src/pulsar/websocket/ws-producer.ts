import type WebSocket from 'ws';
import type { OutgoingRaw } from '../transport.js';
import { openSocket, PulsarSocketError } from './open-socket.js';

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Sends in flight on one socket at most (the broker-side producer's queue holds 1000). */
const MAX_IN_FLIGHT = 1000;
/** A receipt that takes longer fails its send and drops the socket (as the native client's send timeout). */
const SEND_TIMEOUT_MS = 30_000;

/**
 * One producer of one topic over `/ws/v2/producer/…`: every message goes out at once as one frame with a
 * context number, and its send resolves when the broker's receipt for that number comes back (the message is
 * stored). Batching is off on the broker side: a batch goes whole to one key_shared consumer, so a batch of
 * several keys would break the key's consumer. The socket opens on first use and again after it drops; the
 * sends it had in flight fail (the outbox publishes them again).
 */
export class WsProducer {
  private socket: Promise<WebSocket> | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly waiting: (() => void)[] = [];
  private next = 0;
  private closed = false;

  constructor(private readonly url: string) {}

  async send(messages: readonly OutgoingRaw[]): Promise<void> {
    await Promise.all(messages.map((m) => this.sendOne(m)));
  }

  private async sendOne(m: OutgoingRaw): Promise<void> {
    while (this.pending.size >= MAX_IN_FLIGHT) await new Promise<void>((r) => this.waiting.push(r));
    if (this.closed) throw new PulsarSocketError('the producer is closed');
    const socket = await this.connect();
    const context = String(this.next++);
    const frame = JSON.stringify({
      payload: m.data.toString('base64'),
      properties: m.properties,
      key: m.key,
      context,
    });
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(context, new PulsarSocketError(`no receipt within ${SEND_TIMEOUT_MS / 1000} s`));
        socket.terminate(); // a connection that answers nothing: the next send opens another
      }, SEND_TIMEOUT_MS);
      this.pending.set(context, { resolve, reject, timer });
      socket.send(frame, (err) => err && this.settle(context, err));
    });
  }

  private connect(): Promise<WebSocket> {
    this.socket ??= openSocket(this.url).then((socket) => {
      socket.on('message', (data: Buffer) => this.receipt(data));
      socket.once('close', () => {
        this.socket = undefined;
        for (const context of [...this.pending.keys()])
          this.settle(
            context,
            new PulsarSocketError('the producer socket closed before the broker answered'),
          );
      });
      return socket;
    });
    this.socket.catch(() => (this.socket = undefined));
    return this.socket;
  }

  private receipt(data: Buffer): void {
    const ack = JSON.parse(data.toString()) as { result: string; context?: string; errorMsg?: string };
    if (ack.context === undefined) return;
    const error = ack.result === 'ok' ? undefined : new PulsarSocketError(`send failed: ${ack.errorMsg}`);
    this.settle(ack.context, error);
  }

  private settle(context: string, error?: Error): void {
    const p = this.pending.get(context);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(context);
    if (error) p.reject(error);
    else p.resolve();
    this.waiting.shift()?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    const socket = await this.socket?.catch(() => undefined);
    if (!socket) return;
    // the receipts of what is in flight come first
    const deadline = Date.now() + 10_000;
    while (this.pending.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close();
    });
  }
}
