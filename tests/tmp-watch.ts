import Database from 'better-sqlite3';
const dir = '/tmp/sp-prof';
await new Promise((r) => setTimeout(r, 3000));
const ingest = new Database(`${dir}/inventory.db`, { readonly: true });
const bus = new Database(`${dir}/bus.db`, { readonly: true });
const proc = new Database(`${dir}/inventory_metrics.db`, { readonly: true });
const t = Date.now();
for (let i = 0; i < 60; i++) {
  const events = ingest.prepare('SELECT COUNT(*) FROM events').pluck().get();
  const outbox = ingest.prepare('SELECT COUNT(*) FROM outbox').pluck().get();
  const maxSeq = bus
    .prepare("SELECT MAX(seq) FROM messages WHERE topic='stockpulse.inventory-events'")
    .pluck()
    .get() as number;
  const cursor = bus
    .prepare("SELECT MIN(cursor) FROM lanes WHERE subscription='processor'")
    .pluck()
    .get() as number;
  const snaps = proc.prepare('SELECT COUNT(*) FROM snapshots').pluck().get();
  const dirty = proc.prepare('SELECT COUNT(*) FROM dirty_windows').pluck().get();
  console.log(Date.now() - t, JSON.stringify({ events, outbox, lag: maxSeq - cursor, snaps, dirty }));
  await new Promise((r) => setTimeout(r, 200));
}
