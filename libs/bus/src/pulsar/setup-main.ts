/**
 * The Pulsar set-up as a command (docker-compose.yml's `pulsar-init`, from any service's image:
 * `node node_modules/@stockpulse/bus/dist/pulsar/setup-main.js`): reads PULSAR_ADMIN_URL (else PULSAR_URL's host
 * on port 8080) and PULSAR_NAMESPACE, waits up to two minutes for the admin API, runs setUpPulsar, prints what
 * it made. Exit 0 when everything is in place, 1 with the reason otherwise.
 */
import { PulsarAdmin } from './admin.js';
import { defaultAdminUrl } from './names.js';
import { setUpPulsar } from './setup.js';

const adminUrl =
  process.env.PULSAR_ADMIN_URL || defaultAdminUrl(process.env.PULSAR_URL || 'pulsar://localhost:6650');
const namespace = process.env.PULSAR_NAMESPACE || 'public/default';
const admin = new PulsarAdmin(adminUrl);

const deadline = Date.now() + 120_000;
for (;;) {
  try {
    await admin.health();
    break;
  } catch (err) {
    if (Date.now() > deadline) {
      console.error(`pulsar set-up: the broker at ${adminUrl} is not healthy: ${(err as Error).message}`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
try {
  const made = await setUpPulsar(admin, namespace, Number(process.env.PARTITIONS ?? 1));
  console.log(
    `pulsar set-up: ${made.namespace} on ${adminUrl}: ${made.topics.length} topics, ` +
      `${made.subscriptions.length} subscriptions, ${made.deadLetterTopics.length} dead-letter topics`,
  );
} catch (err) {
  console.error(`pulsar set-up failed: ${(err as Error).message}`);
  process.exit(1);
}
