import { PulsarBus } from '../src/pulsar/pulsar-bus.js';
import { randomUUID } from 'node:crypto';
const N = Number(process.env.N ?? 20000);
const opts = {
  url: 'pulsar://127.0.0.1:6650',
  adminUrl: 'http://127.0.0.1:8081',
  namespace: 'public/default',
};
const topic = `bench.probe.${randomUUID().slice(0, 8)}`;
const msg = (i: number) => {
  const id = randomUUID();
  return {
    topic,
    key: `store-${i % 5}/P${i % 200}`,
    envelope: {
      id,
      type: 'bench',
      version: 1,
      occurred_at: new Date().toISOString(),
      correlation_id: id,
      causation_id: null,
      producer: 'bench',
      payload: { i, note: 'x'.repeat(730) },
    },
  };
};
const consumerBus = new PulsarBus(opts);
let got = 0;
await consumerBus.subscribeBatch(
  topic,
  { subscription: 's', type: (process.env.TYPE as any) ?? 'exclusive', batchSize: 1000 },
  (ds) => {
    got += ds.length;
  },
);
const bus = new PulsarBus(opts);
const ms = Array.from({ length: N }, (_, i) => msg(i));
const t0 = performance.now();
for (let i = 0; i < N; i += 500) await bus.publishMany(ms.slice(i, i + 500));
const tp = performance.now();
while (got < N) await new Promise((r) => setTimeout(r, 5));
const te = performance.now();
console.log(
  `publish ${Math.round(N / ((tp - t0) / 1000))} msg/s, e2e ${Math.round(N / ((te - t0) / 1000))} msg/s`,
);
await bus.close();
await consumerBus.close();
