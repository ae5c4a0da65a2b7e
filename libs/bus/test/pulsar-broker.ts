import { loadPulsarClient } from '../src/pulsar/load-client.js';

/** Apache Pulsar 4.x, the same tag docker-compose.yml runs. */
export const PULSAR_IMAGE = 'apachepulsar/pulsar:4.0.4';

export type Broker = { url: string; stop: () => Promise<void> } | { skip: string };

/**
 * A broker for the Pulsar leg: PULSAR_URL when set, else a standalone container when a Docker engine is
 * reachable. Returns the reason to skip otherwise (no native binding, no broker, no engine).
 */
export async function findBroker(): Promise<Broker> {
  try {
    loadPulsarClient();
  } catch (err) {
    return { skip: (err as Error).message };
  }
  if (process.env.PULSAR_URL) return { url: process.env.PULSAR_URL, stop: async () => {} };
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch (err) {
    return { skip: `PULSAR_URL is not set and no Docker engine is reachable (${(err as Error).message})` };
  }
  const container = await new GenericContainer(PULSAR_IMAGE)
    // the broker advertises localhost:6650 to clients after the lookup, so that port is bound as it is
    .withCommand(['bin/pulsar', 'standalone', '--advertised-address', 'localhost'])
    .withExposedPorts({ container: 6650, host: 6650 }, 8080)
    .withWaitStrategy(Wait.forHttp('/admin/v2/clusters', 8080).forStatusCode(200))
    .withStartupTimeout(180_000)
    .start();
  return {
    url: 'pulsar://localhost:6650',
    stop: async () => void (await container.stop()),
  };
}
