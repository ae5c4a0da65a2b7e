export * from './port.js';
export { backoffDelay, type Outcome } from './dispatch.js';
export { EmbeddedBus, type EmbeddedBusOptions } from './embedded/embedded-bus.js';
/** SQLite, not the broker: WAL checkpoints in a worker thread, for any store (the service stores use it). */
export { startCheckpointer } from './embedded/checkpointer.js';
export { ConsumerBusyError } from './embedded/membership.js';
export { PulsarUnavailableError } from './pulsar/native/load-client.js';
export { PulsarAdmin, PulsarAdminError } from './pulsar/admin.js';
export { setUpPulsar, type SetUpSummary } from './pulsar/setup.js';
export { defaultAdminUrl } from './pulsar/names.js';
export type { PulsarClientChoice } from './pulsar/choose-client.js';
export { openBus, type BusConfig, type BusHooks } from './open-bus.js';
