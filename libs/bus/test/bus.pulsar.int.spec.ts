import { afterAll, describe, it } from '@jest/globals';
import { PulsarBus } from '../src/pulsar/pulsar-bus.js';
import { busContractSuite } from './bus-contract.suite.js';
import { findBroker } from './pulsar-broker.js';

const broker = await findBroker();

if ('skip' in broker) {
  // straight to stderr: jest hides console output of a file whose tests are all skipped
  process.stderr.write(`\nPulsar leg of the bus contract suite skipped: ${broker.skip}\n\n`);
  describe('PulsarBus contract', () => {
    it.skip(`needs a broker and the native binding: ${broker.skip}`, () => {});
  });
} else {
  afterAll(() => broker.stop(), 60_000);
  describe('PulsarBus contract', () => {
    busContractSuite(async () => {
      const raw = new PulsarBus({ url: broker.url });
      return {
        name: 'pulsar',
        open: async () => new PulsarBus({ url: broker.url }),
        publishRaw: (topic, body, key) => raw.sendRaw(topic, Buffer.from(body), key),
        childEnv: { TEST_BUS_KIND: 'pulsar', PULSAR_URL: broker.url },
        close: () => raw.close(),
      };
    });
  });
}
