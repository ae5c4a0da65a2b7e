import { EmbeddedBus, type EmbeddedBusOptions } from './embedded/embedded-bus.js';
import type { BusObserver, MessageBus, RetryPolicy } from './port.js';
import type { PulsarBusOptions } from './pulsar/pulsar-bus.js';

export type BusConfig = (
  | ({ kind: 'embedded' } & Omit<EmbeddedBusOptions, 'observer' | 'onError' | 'retry'>)
  | ({ kind: 'pulsar' } & Omit<PulsarBusOptions, 'observer' | 'onError' | 'retry'>)
) & { retry?: Partial<RetryPolicy> };

export interface BusHooks {
  observer?: BusObserver;
  onError?: (err: unknown) => void;
}

/** Opens the bus a process is configured for; the Pulsar adapter (and its clients) load only for `pulsar`. */
export async function openBus(config: BusConfig, hooks: BusHooks = {}): Promise<MessageBus> {
  const { kind, ...options } = config;
  if (kind === 'embedded') return new EmbeddedBus({ ...(options as EmbeddedBusOptions), ...hooks });
  const { PulsarBus } = await import('./pulsar/pulsar-bus.js');
  return new PulsarBus({ ...(options as PulsarBusOptions), ...hooks });
}
