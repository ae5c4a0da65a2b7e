/**
 * `pnpm tail <topic> [--subscription name] [--from earliest|latest]`: subscribes to any topic on the bus the
 * environment names (BUS=embedded with DATA_DIR, or BUS=pulsar with PULSAR_URL) and prints each message as one
 * JSON line (the envelope) on stdout — the first downstream consumer to reach for, and an example of one.
 * The subscription is durable: run it again with the same name and it continues where it stopped.
 */
import { openBus } from '@stockpulse/bus';
import { busConfig, loadConfig, serviceEnv } from '@stockpulse/service-kit';
import { parseArgs } from 'node:util';

const usage = 'usage: pnpm tail <topic> [--subscription name] [--from earliest|latest]';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { subscription: { type: 'string' }, from: { type: 'string', default: 'latest' } },
});
const topic = positionals[0];
if (!topic || positionals.length > 1 || (values.from !== 'earliest' && values.from !== 'latest')) {
  console.error(usage);
  process.exit(2);
}

const config = loadConfig(serviceEnv({}));
const bus = await openBus(busConfig(config));
const subscription = values.subscription ?? `tail-${process.pid}`;
await bus.subscribe(topic, { subscription, initialPosition: values.from }, (delivery) => {
  process.stdout.write(`${JSON.stringify(delivery.envelope)}\n`);
});
console.error(`tailing ${topic} (subscription ${subscription}, from ${values.from}); Ctrl-C stops`);
const stop = () => void bus.close().then(() => process.exit(0));
process.once('SIGINT', stop);
// the reader went away (`pnpm tail … | head`): stop quietly
process.stdout.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' ? stop() : undefined));
process.once('SIGTERM', stop);
