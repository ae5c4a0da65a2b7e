/**
 * The consumer process of the bus benchmark: a no-op handler on an exclusive subscription, on the embedded bus
 * (BENCH_BUS_PATH) or on Pulsar (BENCH_BUS=pulsar with PULSAR_URL, PULSAR_ADMIN_URL, PULSAR_NAMESPACE). With
 * BENCH_REPORT=each it prints the receive time of every message (for the latency figure); with BENCH_EXPECT=n,
 * `done` once it has handled n messages.
 */
import { openBus, type BusConfig } from '@stockpulse/bus';

const env = process.env;
const config: BusConfig =
  env.BENCH_BUS === 'pulsar'
    ? {
        kind: 'pulsar',
        url: env.PULSAR_URL ?? '',
        adminUrl: env.PULSAR_ADMIN_URL ?? '',
        namespace: env.PULSAR_NAMESPACE ?? 'public/default',
        client: 'websocket', // the client the benchmark labels
      }
    : {
        kind: 'embedded',
        path: env.BENCH_BUS_PATH ?? '',
        ...(env.BENCH_CONSUMER_BATCH ? { batchSize: Number(env.BENCH_CONSUMER_BATCH) } : {}),
      };
const bus = await openBus(config);
const each = env.BENCH_REPORT === 'each';
const expect = Number(env.BENCH_EXPECT ?? Infinity);
let handled = 0;
await bus.subscribe(
  env.BENCH_TOPIC ?? 'bench',
  // on Pulsar the most its WebSocket consumer may have waiting; the embedded bus keeps its own default
  { subscription: 'bench', type: 'exclusive', ...(env.BENCH_BUS === 'pulsar' ? { batchSize: 1000 } : {}) },
  (d) => {
    if (each)
      process.stdout.write(
        `${JSON.stringify({ id: d.envelope.id, at: performance.timeOrigin + performance.now() })}\n`,
      );
    if (++handled === expect) process.stdout.write('done\n');
  },
);
process.stdout.write('ready\n');
process.on('SIGTERM', () => void bus.close().then(() => process.exit(0)));
