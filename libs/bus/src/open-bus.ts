import { EmbeddedBus, type EmbeddedBusOptions } from './embedded/embedded-bus.js';
import type { BusObserver, MessageBus, RetryPolicy } from './port.js';

export type BusConfig = (
  | ({ kind: 'embedded' } & Omit<EmbeddedBusOptions, 'observer' | 'onError' | 'retry'>)
  | { kind: 'pulsar'; url: string; namespace?: string; adminUrl?: string }
) & { retry?: Partial<RetryPolicy> };

export interface BusHooks {
  observer?: BusObserver;
  onError?: (err: unknown) => void;
}

/** Opens the bus a process is configured for; pulsar-client is loaded only for `pulsar`. */
export async function openBus(config: BusConfig, hooks: BusHooks = {}): Promise<MessageBus> {
  if (config.kind === 'embedded') return new EmbeddedBus({ ...config, ...hooks });
  const { PulsarBus } = await import('./pulsar/pulsar-bus.js');
  return new PulsarBus({
    url: config.url,
    ...(config.namespace ? { namespace: config.namespace } : {}),
    ...(config.adminUrl ? { adminUrl: config.adminUrl } : {}),
    ...(config.retry ? { retry: config.retry } : {}),
    ...hooks,
  });
}
