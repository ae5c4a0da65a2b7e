export { tearDown as default } from './pulsar-global.mjs';
