import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { PulsarAdmin, setUpPulsar } from '../src/index.js';
import { PulsarBus, type PulsarBusOptions } from '../src/pulsar/pulsar-bus.js';
import { busContractSuite } from './bus-contract.suite.js';
import { tempDir } from './helpers.js';
import { loadableClients, pulsarBroker } from './pulsar-broker.js';

const broker = pulsarBroker();

if ('skip' in broker) {
  // straight to stderr: jest hides console output of a file whose tests are all skipped
  process.stderr.write(`\nPulsar leg of the bus contract suite skipped: ${broker.skip}\n\n`);
  describe('PulsarBus contract', () => {
    it.skip(`needs a broker: ${broker.skip}`, () => {});
  });
} else {
  // a namespace of its own: the dead-letter listing sees only this suite's topics
  const namespace = `public/bus-contract-${randomUUID().slice(0, 8)}`;
  beforeAll(() => new PulsarAdmin(broker.adminUrl).createNamespace(namespace));
  afterAll(() => new PulsarAdmin(broker.adminUrl).deleteNamespace(namespace).catch(() => {}));

  for (const client of loadableClients()) {
    describe(`PulsarBus contract (${client} client)`, () => {
      busContractSuite(async () => {
        // the in-hand ledger of this test's processes, shared by them as a service's processes share DATA_DIR
        const state = tempDir('stockpulse-pulsar-');
        const options: PulsarBusOptions = { ...broker, namespace, client, stateDir: state.path };
        const raw = new PulsarBus(options);
        return {
          name: 'pulsar',
          open: async () => new PulsarBus(options),
          publishRaw: (topic, body, key) => raw.sendRaw(topic, Buffer.from(body), key),
          childEnv: {
            TEST_BUS_KIND: 'pulsar',
            PULSAR_URL: broker.url,
            PULSAR_ADMIN_URL: broker.adminUrl,
            PULSAR_NAMESPACE: namespace,
            PULSAR_CLIENT: client,
            TEST_STATE_DIR: state.path,
          },
          async partitioned(partitions: number) {
            // a namespace of its own, set up as `BUS=pulsar pnpm start` would with PARTITIONS
            const own = `public/bus-partitions-${randomUUID().slice(0, 8)}`;
            const admin = new PulsarAdmin(broker.adminUrl);
            await setUpPulsar(admin, own, partitions);
            return {
              open: async (n: number) => new PulsarBus({ ...options, namespace: own, partitions: n }),
              close: () => admin.deleteNamespace(own).catch(() => {}),
            };
          },
          async close() {
            await raw.close();
            state.remove();
          },
        };
      });
    });
  }
}
