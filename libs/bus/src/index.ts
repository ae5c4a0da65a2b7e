export * from './port.js';
export { backoffDelay, type Outcome } from './dispatch.js';
export { EmbeddedBus, type EmbeddedBusOptions } from './embedded/embedded-bus.js';
export { ConsumerBusyError } from './embedded/membership.js';
export { PulsarUnavailableError } from './pulsar/load-client.js';
export { openBus, type BusConfig, type BusHooks } from './open-bus.js';
