import { NACK_DELAY_MS, type ReceivedRaw } from './transport.js';

/**
 * Failed messages waiting for their negative acknowledgement, by message id: our capped backoff, less the
 * broker's own redelivery delay, before `sendBack` returns each to the broker.
 */
export class PendingRetries {
  private readonly waiting = new Map<string, { timer: NodeJS.Timeout; message: ReceivedRaw }>();

  constructor(private readonly sendBack: (message: ReceivedRaw) => void) {}

  add(message: ReceivedRaw, delayMs: number): void {
    const timer = setTimeout(() => this.now(message.id), Math.max(0, delayMs - NACK_DELAY_MS));
    this.waiting.set(message.id, { timer, message });
  }

  has(id: string): boolean {
    return this.waiting.has(id);
  }

  /** Drops a waiting retry without sending it back (the broker delivered it again already). */
  forget(id: string): void {
    clearTimeout(this.waiting.get(id)?.timer);
    this.waiting.delete(id);
  }

  /** Sends every waiting retry back at once (closing). */
  flush(): void {
    for (const id of [...this.waiting.keys()]) this.now(id);
  }

  private now(id: string): void {
    const entry = this.waiting.get(id);
    if (!entry) return;
    this.forget(id);
    this.sendBack(entry.message);
  }
}
