import type { Logger } from '@stockpulse/service-kit';
import type { Delivery, WebhooksRepository } from '../db/webhooks.repository.js';
import { SIGNATURE_HEADER, sign } from './signature.js';

export interface DeliveryOptions {
  maxAttempts: number;
  backoffMs: number;
  backoffMaxMs: number;
  timeoutMs: number;
}

/**
 * Sends due webhook deliveries, each POSTed as queued (the same body every attempt, signed anew), several at a
 * time; logs every attempt; retries with exponential backoff (base × 2^(attempt − 1), capped) until a 2xx or
 * the last attempt. Runs on its own timer: the consumer only queues rows, so a receiver that is down or slow
 * never holds up the pipeline.
 */
export class DeliveryWorker {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly options: DeliveryOptions,
    private readonly log: Logger,
  ) {}

  /** Starts the due deliveries not already in flight; resolves when they have all been attempted. */
  async tick(): Promise<void> {
    const due = this.webhooks.due(Date.now(), 32).filter((d) => !this.inFlight.has(d.id));
    await Promise.all(due.map((d) => this.attempt(d)));
  }

  private async attempt(d: Delivery & { url: string; secret: string }): Promise<void> {
    this.inFlight.add(d.id);
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'stockpulse-notifier',
          'x-stockpulse-delivery': d.id,
          [SIGNATURE_HEADER]: sign(d.secret, d.body),
        },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      statusCode = res.status;
      await res.body?.cancel();
      if (!res.ok) error = `the receiver answered ${res.status}`;
    } catch (err) {
      error =
        (err as Error).name === 'TimeoutError'
          ? `no answer within ${this.options.timeoutMs} ms`
          : describe(err);
    } finally {
      this.inFlight.delete(d.id);
    }
    const attempt = d.attempts + 1;
    const result = { status_code: statusCode, error, duration_ms: Math.round(performance.now() - started) };
    if (!error) return this.webhooks.attempted(d, result, { status: 'delivered' });
    if (attempt >= this.options.maxAttempts) {
      this.log.warn({ delivery: d.id, url: d.url, error }, 'webhook delivery failed for good');
      return this.webhooks.attempted(d, result, { status: 'failed' });
    }
    const wait = Math.min(this.options.backoffMs * 2 ** (attempt - 1), this.options.backoffMaxMs);
    this.webhooks.attempted(d, result, { status: 'pending', retryAt: Date.now() + wait });
  }
}

/** The reason under undici's "fetch failed": the socket error's code and message. */
const describe = (err: unknown) => {
  const cause = (
    err as { cause?: { code?: string; message?: string; errors?: { code?: string; message?: string }[] } }
  ).cause;
  const root = cause?.errors?.[0] ?? cause;
  return root?.code ? `${root.code}: ${root.message ?? ''}`.trim() : (err as Error).message;
};
