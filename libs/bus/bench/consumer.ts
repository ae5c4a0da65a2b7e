/**
 * The consumer process of the bus benchmark: a no-op handler on an exclusive subscription. With
 * BENCH_REPORT=each it prints the receive time of every message (for the latency figure).
 */
import { EmbeddedBus } from '@stockpulse/bus';

const bus = new EmbeddedBus({
  path: process.env.BENCH_BUS_PATH ?? '',
  ...(process.env.BENCH_CONSUMER_BATCH ? { batchSize: Number(process.env.BENCH_CONSUMER_BATCH) } : {}),
});
const each = process.env.BENCH_REPORT === 'each';
await bus.subscribe(process.env.BENCH_TOPIC ?? 'bench', { subscription: 'bench', type: 'exclusive' }, (d) => {
  if (each)
    process.stdout.write(
      `${JSON.stringify({ id: d.envelope.id, at: performance.timeOrigin + performance.now() })}\n`,
    );
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => void bus.close().then(() => process.exit(0)));
