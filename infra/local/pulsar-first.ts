import { join } from 'node:path';
import type { LocalBroker } from '../pulsar/broker.js';

/**
 * BUS=pulsar, before any service starts: a local broker when PULSAR_URL is unset (its URLs then go into
 * `env`, for every service), else the one named; the stockpulse set-up (topics, subscriptions, dead-letter
 * topics) on it either way. Resolves with the local broker it started, if any; rejects when the broker
 * cannot be had (or `signal` aborted its start).
 */
export async function pulsarFirst(
  env: NodeJS.ProcessEnv,
  options: { dataDir: string; partitions: number; say: (line: string) => void; signal: AbortSignal },
): Promise<LocalBroker | undefined> {
  if (!env.PULSAR_URL) {
    const { localPulsarUp } = await import('../pulsar/up.js');
    const broker = await localPulsarUp(join(options.dataDir, 'pulsar'), options.say, options.signal);
    env.PULSAR_URL = broker.url;
    env.PULSAR_ADMIN_URL = broker.adminUrl;
    return broker;
  }
  const { defaultAdminUrl, PulsarAdmin, setUpPulsar } = await import('@stockpulse/bus');
  const adminUrl = env.PULSAR_ADMIN_URL ?? defaultAdminUrl(env.PULSAR_URL);
  const made = await setUpPulsar(new PulsarAdmin(adminUrl), env.PULSAR_NAMESPACE, options.partitions);
  options.say(
    `set up ${made.namespace} on ${adminUrl}: ${made.topics.length} topics, ${made.deadLetterTopics.length} dead-letter topics`,
  );
  return undefined;
}
