import { EmbeddedBus, type EmbeddedBusOptions } from './embedded/embedded-bus.js';
import type { BusObserver, MessageBus } from './port.js';

export type BusConfig =
  | ({ kind: 'embedded' } & Omit<EmbeddedBusOptions, 'observer' | 'onError'>)
  | { kind: 'pulsar'; url: string; namespace?: string };

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
    ...hooks,
  });
}
