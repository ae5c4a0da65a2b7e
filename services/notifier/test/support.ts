import type { AnomalyPayload, ForecastPayload } from '@stockpulse/contracts';
import { createServer, type IncomingMessage } from 'node:http';

let next = 0;

/** A warning-or-worse anomaly of `type` on P001 at NYC (or as given), with a fresh id. */
export const anomaly = (fields: Partial<AnomalyPayload> = {}): AnomalyPayload => ({
  id: `an-test-${++next}`,
  detector: 'rules',
  type: 'price_spike',
  severity: 'critical',
  score: 40,
  explanation:
    'P001 (Books) at NYC was priced 80.00, 8.0 times its usual 10.00; check for a pricing or scanning error.',
  event_id: `ev-${next}`,
  product_id: 'P001',
  store_location: 'NYC',
  category: 'Books',
  event_timestamp: new Date(Date.parse('2025-03-09T20:00:00Z') + next * 60_000).toISOString(),
  detected_at: new Date().toISOString(),
  ...fields,
});

type Advice = NonNullable<ForecastPayload['advice']>;

/**
 * A forecast of `product` at `store` with `onHand` units against a reorder point of 20 (an order of 40 suggested
 * at or below it), no stock-out expected; `advice` over that.
 */
export const forecast = (
  product: string,
  onHand: number,
  store = 'NYC',
  advice: Partial<Advice> = {},
): ForecastPayload => ({
  series_id: `${store}/${product}`,
  product_id: product,
  store_location: store,
  category: 'Books',
  model: 'ETS',
  generated_at: new Date().toISOString(),
  horizon: 14,
  points: [],
  advice: {
    lead_time_days: 7,
    service_level: 0.95,
    on_hand: onHand,
    safety_stock: 5,
    reorder_point: 20,
    stockout_date: null,
    suggested_order_qty: onHand <= 20 ? 40 : 0,
    ...advice,
  },
});

export interface Received {
  body: string;
  headers: IncomingMessage['headers'];
}

/**
 * A webhook receiver on the loopback: answers each request with the next status of `statuses` (the last one
 * from then on) and keeps what it received.
 */
export async function receiver(statuses: number[] = [204]) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ body, headers: req.headers });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Reads Server-Sent Events from `url` until `count` events arrived (or `timeoutMs`), then disconnects. */
export async function readEvents(url: string, count: number, lastEventId?: string, timeoutMs = 10_000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: { id: string; event: string; data: Record<string, unknown> }[] = [];
  try {
    const res = await fetch(url, {
      headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: controller.signal,
    });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) =>
          block
            .split('\n')
            .filter((l) => l.startsWith(`${name}:`))
            .map((l) => l.slice(name.length + 1).trimStart())
            .join('\n');
        if (!field('data')) continue; // a heartbeat comment
        events.push({
          id: field('id'),
          event: field('event'),
          data: JSON.parse(field('data')) as Record<string, unknown>,
        });
        if (events.length >= count) return events;
      }
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}
