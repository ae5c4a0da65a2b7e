import { dayTotals, Platform, post } from './support/platform.js';
import { acked } from '../bench/support/consumed.js';
const bus = (process.env.DBG_BUS ?? 'pulsar') as 'pulsar' | 'embedded';
const p = await Platform.start(['processor', 'ingest', 'anomaly', 'notifier', 'gateway'], { PROCESSOR_FLUSH_MS: '50', NOTIFIER_TICK_MS: '100' }, bus);
const BODY = { days: 125, stores: 8, products: 100, categories: 5, seed: 77, end: '2026-01-01', anomalies: { count: 60 } };
const t0 = Date.now();
await post(`${p.gateway}/api/generate`, BODY);
if (process.env.DBG_KILL) { await new Promise((r) => setTimeout(r, 1500)); await p.kill('processor', 'SIGKILL'); await p.startService('processor'); console.log('restarted processor at', (Date.now() - t0) / 1000); }
for (let i = 0; i < 16; i++) {
  await new Promise((r) => setTimeout(r, 5000));
  const a = await acked(p, 'processor'); const b = await acked(p, 'anomaly');
  console.log(((Date.now() - t0) / 1000).toFixed(0), 's processor', a, 'anomaly', b, 'counted', (await dayTotals(p.url('processor'))).events);
  if (i === 14) { const ns = p.busEnvironment.PULSAR_NAMESPACE; const st = await (await fetch(`http://127.0.0.1:8081/admin/v2/persistent/${ns}/stockpulse.inventory-events/stats`)).json() as any; console.log('msgIn', st.msgInCounter, 'publishers', JSON.stringify(st.publishers.map((x: any) => [x.msgRateIn, x.pendingCount ?? null, x.producerName]))); const m = await (await fetch(`${p.url('ingest')}/metrics`)).text(); console.log(m.split('\n').filter((l) => /outbox|published/.test(l) && !l.startsWith('#')).join('\n')); }
  if (i === 99) { const ns = p.busEnvironment.PULSAR_NAMESPACE; const st = await (await fetch(`http://127.0.0.1:8081/admin/v2/persistent/${ns}/stockpulse.inventory-events/stats`)).json() as any; console.log(JSON.stringify(st.subscriptions.processor, null, 1).slice(0, 4000)); console.log(p.output('processor').slice(-3000)); }
  if (a >= 100000 && b >= 100000) break;
}
console.log('ns', p.busEnvironment.PULSAR_NAMESPACE, JSON.stringify(await (await fetch(`${p.gateway}/api/dlq`)).json()).slice(0, 1500));
const m2 = await (await fetch(`${p.url('processor')}/metrics`)).text(); console.log(m2.split('\n').filter((l) => /consumed/.test(l) && !l.startsWith('#')).join('\n'));
const { cpSync } = await import('node:fs'); cpSync(p.dataDir, '/tmp/dbg-data', { recursive: true });
await p.stop();
process.exit(0);
