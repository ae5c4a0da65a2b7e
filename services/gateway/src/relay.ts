import type { TopicName } from '@stockpulse/contracts';
import {
  consume,
  type ServiceApp,
  type ServiceDeps,
  type StreamEvent,
  type StreamSource,
} from '@stockpulse/service-kit';

/** The topics the live stream relays, and each one's event name. */
export const RELAYED: Partial<Record<TopicName, string>> = {
  'stockpulse.inventory-metrics': 'metrics',
  'stockpulse.forecasts': 'forecast',
  'stockpulse.anomalies': 'anomaly',
  'stockpulse.notifications': 'notification',
};

/**
 * The newest `size` messages of the relayed topics, numbered as they arrive: the source of `/api/stream`. The
 * gateway's own subscriptions start at the latest message (a stream is about now); ids restart with the
 * process, so a client reconnecting after a gateway restart gets the buffer from its start.
 */
export function topicRelay(app: ServiceApp, deps: Pick<ServiceDeps, 'bus'>, size = 2000): StreamSource {
  const buffer: StreamEvent[] = [];
  let next = 1;
  for (const [topic, event] of Object.entries(RELAYED) as [TopicName, string][]) {
    consume(app, deps, topic, { subscription: 'gateway-stream', initialPosition: 'latest' }, (delivery) => {
      buffer.push({ id: next++, event, data: delivery.envelope.payload });
      if (buffer.length > size) buffer.splice(0, buffer.length - size);
    });
  }
  return {
    after(id, limit) {
      const from = buffer.findIndex((e) => e.id > id);
      return from < 0 ? [] : buffer.slice(from, from + limit);
    },
    latest: () => next - 1,
  };
}
