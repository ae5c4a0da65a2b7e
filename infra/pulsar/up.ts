import { PulsarAdmin, setUpPulsar } from '@stockpulse/bus';
import { startLocalBroker, type LocalBroker } from './broker.js';

/**
 * The local broker, started (or found running) and set up for stockpulse: what `pnpm pulsar` and
 * `BUS=pulsar pnpm start` (without PULSAR_URL) both run. `say` gets one line per step.
 */
export async function localPulsarUp(
  dataDir: string,
  say: (line: string) => void,
  signal?: AbortSignal,
): Promise<LocalBroker> {
  const broker = await startLocalBroker({ dataDir, progress: say, ...(signal ? { signal } : {}) });
  let made: Awaited<ReturnType<typeof setUpPulsar>>;
  try {
    if (signal?.aborted) throw new Error('stopped before it was set up');
    made = await setUpPulsar(
      new PulsarAdmin(broker.adminUrl),
      process.env.PULSAR_NAMESPACE,
      Number(process.env.PARTITIONS ?? 1),
    );
  } catch (err) {
    await broker.stop(); // no broker is left behind by a set-up that failed (or a Ctrl-C)
    throw err;
  }
  say(
    `${broker.url} (admin and WebSocket API ${broker.adminUrl}): ${made.namespace} has ` +
      `${made.topics.length} topics, ${made.subscriptions.length} subscriptions and ` +
      `${made.deadLetterTopics.length} dead-letter topics`,
  );
  return broker;
}
