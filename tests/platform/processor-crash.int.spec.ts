import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { recomputeWindows } from '../../services/processor/test/recompute.js';
import { getJson, Platform, post, until } from '../support/platform.js';

interface SentEvent {
  product_id: string;
  store_location: string;
  category: string;
  quantity: number;
  units_sold: number;
  price: number;
  event_timestamp: string;
}

/** 20 series × 150 hourly reports with explicit sales, from a fixed seed (mulberry32). */
function stream(): SentEvent[] {
  let seed = 7;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const events: SentEvent[] = [];
  const start = Date.parse('2025-03-01T00:00:00Z');
  for (let hour = 0; hour < 150; hour++) {
    for (const store of ['S1', 'S2', 'S3', 'S4']) {
      for (let p = 1; p <= 5; p++) {
        const sold = Math.floor(random() * 6);
        events.push({
          product_id: `P${p}`,
          store_location: store,
          category: p <= 3 ? 'Food' : 'Toys',
          quantity: 100 + Math.floor(random() * 50),
          units_sold: sold,
          price: Math.round((1 + random() * 20) * 100) / 100,
          event_timestamp: new Date(start + hour * 3_600_000 + p * 60_000).toISOString(),
        });
      }
    }
  }
  return events;
}

/** The day windows as computed independently from what was sent. */
function expectedDays(events: SentEvent[]) {
  const days = new Map<string, { units_sold: number; event_count: number; latest: Map<string, SentEvent> }>();
  const latest = new Map<string, SentEvent>();
  for (const e of events) {
    const day = e.event_timestamp.slice(0, 10);
    const key = `${e.store_location}|${e.category}|${day}`;
    if (!days.has(key)) days.set(key, { units_sold: 0, event_count: 0, latest: new Map() });
    const d = days.get(key)!;
    d.units_sold += e.units_sold;
    d.event_count++;
    latest.set(`${e.store_location}|${e.product_id}`, e);
    // closing state at the end of the day: the latest report of every product of the group so far
    for (const [k, v] of latest)
      if (k.startsWith(`${e.store_location}|`) && v.category === e.category) d.latest.set(k, v);
  }
  return new Map(
    [...days].map(([key, d]) => {
      const closing = [...d.latest.values()];
      return [
        key,
        {
          units_sold: d.units_sold,
          event_count: d.event_count,
          total_quantity: closing.reduce((s, e) => s + e.quantity, 0),
          total_stock_value:
            Math.round(closing.reduce((s, e) => s + e.quantity * e.price, 0) * 10_000) / 10_000,
        },
      ];
    }),
  );
}

describe('processor killed with SIGKILL mid-stream', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await Platform.start(['processor', 'ingest', 'gateway'], { PROCESSOR_FLUSH_MS: '50' });
  }, 60_000);
  afterAll(() => p.stop());

  it('leaves every total exact after a restart: nothing lost, nothing counted twice', async () => {
    const events = stream();
    const api = (path: string) => `${p.gateway}/api${path}`;
    const send = async (from: number, to: number) => {
      const res = await post(api('/events'), events.slice(from, to));
      expect(res.body).toMatchObject({ accepted: to - from, rejected: [] });
    };
    for (let i = 0; i < 800; i += 100) await send(i, i + 100);
    // a large batch, and the processor killed while it is still applying it
    await send(800, 1800);
    await p.kill('processor', 'SIGKILL');
    // it really was mid-stream: 1000 events cannot have gone through relay, bus and processor already
    const store = new Database(`${p.dataDir}/inventory_metrics.db`, { readonly: true });
    const applied = store.prepare('SELECT COUNT(*) AS n FROM snapshots').pluck().get() as number;
    store.close();
    expect(applied).toBeLessThan(1800);
    const seenAtKill = await getJson(api('/events?limit=1'));
    expect(seenAtKill.total).toBe(1800);
    for (let i = 1800; i < 2400; i += 100) await send(i, i + 100); // while it is down
    await p.startService('processor');
    for (let i = 2400; i < events.length; i += 100) await send(i, i + 100);

    const expected = expectedDays(events);
    const days = await until(
      () => getJson(api('/metrics?window=day&limit=10000')),
      (m) => m.items.reduce((s, w) => s + (w.event_count as number), 0) === events.length,
      'every event in the day windows',
      60_000,
    );
    expect(days.total).toBe(expected.size);
    for (const w of days.items) {
      const key = `${w.store_location as string}|${w.category as string}|${(w.window_start as string).slice(0, 10)}`;
      expect({ key, ...pick(w) }).toEqual({ key, ...expected.get(key) });
    }
    // and every figure of every window is what a recomputation from the stored reports gives
    await new Promise((resolve) => setTimeout(resolve, 200)); // the last flush
    const after = new Database(`${p.dataDir}/inventory_metrics.db`, { readonly: true });
    try {
      for (const kind of ['hour', 'day'] as const) {
        const shown = await getJson(api(`/metrics?window=${kind}&limit=10000`));
        expect(shown.items.map(({ updated_at: _, ...w }) => w)).toEqual(recomputeWindows(after, kind));
      }
    } finally {
      after.close();
    }
    const inventory = await getJson(api('/inventory?limit=100'));
    const last = new Map(events.map((e) => [`${e.store_location}|${e.product_id}`, e]));
    expect(inventory.total).toBe(last.size);
    for (const item of inventory.items) {
      const e = last.get(`${item.store_location as string}|${item.product_id as string}`)!;
      expect(item).toMatchObject({ quantity: e.quantity, price: e.price });
    }
  }, 120_000);
});

const pick = (w: Record<string, unknown>) => ({
  units_sold: w.units_sold,
  event_count: w.event_count,
  total_quantity: w.total_quantity,
  total_stock_value: w.total_stock_value,
});
