import { afterEach, describe, expect, it } from '@jest/globals';
import type { InventoryEventPayload } from '@stockpulse/contracts';
import { buildTestApp, eventually, type TestApp } from '@stockpulse/service-kit/testing';
import { buildApp, migrations } from '../src/app.js';
import type { ProcessorConfig } from '../src/config.js';
import { recomputeWindows } from './recompute.js';

const config = { PROCESSOR_PORT: 0, PROCESSOR_FLUSH_MS: 20 } as ProcessorConfig;

/** A seeded mix: stock reports with and without explicit sales and receipts, and sales-only reports. */
function events(): InventoryEventPayload[] {
  let seed = 99;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const list: InventoryEventPayload[] = [];
  const start = Date.parse('2025-02-01T00:00:00Z');
  for (let i = 0; i < 360; i++) {
    const store = random() < 0.5 ? 'NYC' : 'LA';
    const p = 1 + Math.floor(random() * 4);
    const kind = random();
    const ts = new Date(start + Math.floor(random() * 3 * 86_400_000)).toISOString();
    list.push({
      event_id: `e-${i}`,
      product_id: `P${p}`,
      store_location: store,
      category: p <= 2 ? 'Food' : 'Toys',
      ...(kind < 0.8 ? { quantity: Math.floor(random() * 60) } : {}),
      ...(kind >= 0.8 || kind < 0.2 ? { units_sold: Math.floor(random() * 5) } : {}),
      ...(kind > 0.1 && kind < 0.25 ? { units_received: Math.floor(random() * 10) } : {}),
      price: Math.round(random() * 1000) / 100,
      event_timestamp: ts,
      received_at: ts,
      source: 'api',
    });
  }
  return list;
}

describe('processor, whatever the arrival order', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((t) => t.close()));
  });

  async function feed(list: InventoryEventPayload[], expectCounted = list.length) {
    const t = await buildTestApp((deps) => buildApp(deps, config), { name: 'processor', migrations });
    apps.push(t);
    for (let i = 0; i < list.length; i += 40) {
      await Promise.all(
        list
          .slice(i, i + 40)
          .map((e) => t.bus.publish('stockpulse.inventory-events', e, { producer: 'test' })),
      );
    }
    const get = async (url: string) =>
      (await t.app.inject({ url })).json<{ items: Record<string, unknown>[] }>();
    await eventually(
      () => get('/api/metrics?window=day&limit=1000'),
      (m) => m.items.reduce((s, w) => s + (w.event_count as number), 0) === expectCounted,
      'every event in the day windows',
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // the last flush
    const strip = (items: Record<string, unknown>[]) => items.map(({ updated_at: _u, ...rest }) => rest);
    // every window as kept incrementally is what recomputing it from the stored reports gives
    expect(strip((await get('/api/metrics?window=hour&limit=10000')).items)).toEqual(
      recomputeWindows(t.db!, 'hour'),
    );
    expect(strip((await get('/api/metrics?window=day&limit=1000')).items)).toEqual(
      recomputeWindows(t.db!, 'day'),
    );
    return {
      hours: strip((await get('/api/metrics?window=hour&limit=10000')).items),
      days: strip((await get('/api/metrics?window=day&limit=1000')).items),
      stock: (await get('/api/inventory?limit=100')).items,
    };
  }

  it.each([1, 2, 3])(
    'computes the same stock and metrics from shuffled, late events as in time order (shuffle %i)',
    async (shuffle) => {
      const all = events();
      const inOrder = [...all].sort(
        (a, b) => a.event_timestamp.localeCompare(b.event_timestamp) || a.event_id.localeCompare(b.event_id),
      );
      // a fixed permutation per shuffle: position i goes to (i × prime + shuffle) mod n
      const prime = [0, 7919, 104_729, 1_299_709][shuffle]!;
      const shuffled = all.map((_, i) => all[(i * prime + shuffle) % all.length]!);
      const expected = await feed(inOrder);
      const actual = await feed(shuffled);
      expect(actual.stock).toEqual(expected.stock);
      expect(actual.days).toEqual(expected.days);
      expect(actual.hours).toEqual(expected.hours);
      expect(expected.hours.length).toBeGreaterThan(50);
    },
    60_000,
  );

  it('agrees with a recomputation when series arrive one after another (a bulk import), with duplicates and a batch that fails', async () => {
    const all = events();
    const bySeries = [...all].sort(
      (a, b) =>
        a.store_location.localeCompare(b.store_location) ||
        a.product_id.localeCompare(b.product_id) ||
        a.event_timestamp.localeCompare(b.event_timestamp),
    );
    // a report no window can hold (a leap second) fails its batch: what the batch had applied is rolled back
    const leap = { ...all[0]!, event_id: 'leap', event_timestamp: '2025-02-01T23:59:60Z' };
    const withTrouble = [...bySeries.slice(0, 200), leap, ...bySeries.slice(150)];
    const inOrder = [...all].sort(
      (a, b) => a.event_timestamp.localeCompare(b.event_timestamp) || a.event_id.localeCompare(b.event_id),
    );
    const expected = await feed(inOrder);
    const actual = await feed(withTrouble, all.length);
    expect(actual.days).toEqual(expected.days);
    expect(actual.hours).toEqual(expected.hours);
    expect(actual.stock).toEqual(expected.stock);
  }, 60_000);
});
