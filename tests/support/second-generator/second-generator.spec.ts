import { describe, expect, it } from '@jest/globals';
import { check, InventoryEventPayload } from '@stockpulse/contracts';
import { checkRecord } from '../../../services/ingest/src/domain/record.js';
import { categoryOf, generateSecond, KINDS, type InventoryEvent, type Label } from './index.js';

// Given the defaults (5 stores × 20 products × 60 clean + 30 anomaly days), with and without injections
const OPTIONS = { seed: 2026 };
const data = generateSecond(OPTIONS);
const clean = generateSecond({ ...OPTIONS, share: 0 });
const labels = new Map(data.labels.map((l) => [l.event_id, l]));
const twins = new Map(clean.events.map((e) => [e.event_id, e]));

function bySeries(events: InventoryEvent[]): InventoryEvent[][] {
  const series = new Map<string, InventoryEvent[]>();
  for (const e of events) {
    const key = `${e.store_location}/${e.product_id}`;
    const list = series.get(key);
    if (list) list.push(e);
    else series.set(key, [e]);
  }
  return [...series.values()];
}

/** Each event with the one before it in its series. */
const pairs = (events: InventoryEvent[]) =>
  bySeries(events).flatMap((s) => s.slice(1).map((e, i) => ({ e, before: s[i]! })));

const changed = (a: InventoryEvent, b: InventoryEvent) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (k) => a[k as keyof InventoryEvent] !== b[k as keyof InventoryEvent],
  );

describe('generateSecond: determinism and shape', () => {
  it('gives byte-identical output for the same options, and other data for another seed', () => {
    expect(JSON.stringify(generateSecond(OPTIONS))).toBe(JSON.stringify(data));
    const other = generateSecond({ seed: 2027 });
    expect(other.events).toHaveLength(data.events.length);
    expect(other.events.map((e) => e.quantity)).not.toEqual(data.events.map((e) => e.quantity));
    expect(other.events[0]!.event_id).not.toBe(data.events[0]!.event_id);
  });

  it('reports every store × product once a day, in time order, the clean period first', () => {
    expect(data.events).toHaveLength(5 * 20 * 90);
    expect(data.history).toBe(5 * 20 * 60);
    expect(new Set(data.events.map((e) => e.event_id)).size).toBe(data.events.length);
    const stamps = data.events.map((e) => e.event_timestamp);
    expect(stamps.every((t, i) => i === 0 || stamps[i - 1]! <= t)).toBe(true);
    expect(stamps.at(-1)!.slice(0, 10)).toBe('2026-06-01');
    expect(stamps.every((t) => /T2[0-2]:\d\d:\d\dZ$/.test(t))).toBe(true);
    expect(new Set(data.events.map((e) => e.store_location)).size).toBe(5);
    expect(data.events.some((e) => /store-?\d/i.test(e.store_location))).toBe(false);
  });

  it('generates 5 stores × 20 products × 90 days well under a second', () => {
    const started = performance.now();
    generateSecond({ seed: 99 });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateSecond({ seed: 1, share: 1.5 })).toThrow(RangeError);
    expect(() => generateSecond({ seed: 1, stores: 0 })).toThrow(RangeError);
    expect(() => generateSecond({ seed: 1, end: '2026-13-01' })).toThrow(RangeError);
  });

  it('passes the inventory-event contract and the record check of ingest, anomalies included', () => {
    const issues = data.events.flatMap((e) =>
      check(InventoryEventPayload, { ...e, received_at: e.event_timestamp, source: 'generator' }),
    );
    expect(issues).toEqual([]);
    // ingest refuses records more than a day in the future: judge them on the data set's last day
    const now = Date.parse('2026-06-01T23:00:00Z');
    const rejected = data.events.map((e) => checkRecord(e, { now })).filter((r) => !r.ok);
    expect(rejected).toEqual([]);
  });
});

describe('generateSecond: the clean simulation', () => {
  it('keeps quantity(t) = quantity(t−1) − sold + received and never goes negative', () => {
    for (const { e, before } of pairs(clean.events)) {
      expect(e.quantity).toBe(before.quantity - e.units_sold + (e.units_received ?? 0));
    }
    expect(clean.events.every((e) => e.quantity >= 0 && e.units_sold >= 0)).toBe(true);
    expect(clean.events.every((e) => e.units_received === undefined || e.units_received > 0)).toBe(true);
  });

  it('keeps each product one description, written for its own category', () => {
    for (const series of bySeries(clean.events)) {
      expect(new Set(series.map((e) => e.description)).size).toBe(1);
      expect(categoryOf(series[0]!.description)?.name).toBe(series[0]!.category);
    }
    expect(new Set(clean.events.map((e) => e.category)).size).toBe(6);
  });

  it('restocks with deliveries, runs out now and then, and mixes fast and slow movers and store sizes', () => {
    expect(clean.events.filter((e) => e.units_received).length).toBeGreaterThan(100);
    expect(clean.events.some((e) => e.quantity === 0)).toBe(true);
    const rates = bySeries(clean.events).map((s) => s.reduce((sum, e) => sum + e.units_sold, 0) / s.length);
    expect(Math.max(...rates)).toBeGreaterThan(10);
    expect(Math.min(...rates)).toBeLessThan(0.5);
    const perStore = new Map<string, number>();
    for (const e of clean.events)
      perStore.set(e.store_location, (perStore.get(e.store_location) ?? 0) + e.units_sold);
    expect(Math.max(...perStore.values()) / Math.min(...perStore.values())).toBeGreaterThan(2);
  });

  it('sells DIY at weekends and stationery on weekdays', () => {
    const weekendShare = (category: string) => {
      const sold = clean.events.filter((e) => e.category === category);
      const weekend = sold.filter((e) => [0, 6].includes(new Date(e.event_timestamp).getUTCDay()));
      return weekend.reduce((s, e) => s + e.units_sold, 0) / sold.reduce((s, e) => s + e.units_sold, 0);
    };
    expect(weekendShare('Hardware & DIY')).toBeGreaterThan(2 / 7 + 0.05);
    expect(weekendShare('Stationery & Office')).toBeLessThan(2 / 7 - 0.05);
  });

  it('runs promotions of 10–35 % for 7–14 days and raises list prices by 2–9 %', () => {
    const promotions: { from: number; to: number; days: number; back: number }[] = [];
    let rises = 0;
    const store = clean.events[0]!.store_location;
    for (const series of bySeries(clean.events.filter((e) => e.store_location === store))) {
      const p = series.map((e) => e.price);
      for (let i = 1; i < p.length; i++) {
        const ratio = p[i]! / p[i - 1]!;
        if (ratio > 1.015 && ratio < 1.1) rises += 1;
        if (ratio > 0.92) continue;
        const end = p.findIndex((x, j) => j > i && x >= p[i - 1]!);
        if (end > 0) promotions.push({ from: p[i - 1]!, to: p[i]!, days: end - i, back: p[end]! });
      }
    }
    expect(promotions.length).toBeGreaterThan(10);
    for (const { from, to, days, back } of promotions) {
      expect(to).toBeLessThanOrEqual(0.9 * from + 0.005);
      expect(to).toBeGreaterThanOrEqual(0.65 * from - 0.005);
      expect(days).toBeGreaterThanOrEqual(7);
      expect(days).toBeLessThanOrEqual(14);
      expect(back).toBe(from); // a promotion ends at the price it started from
    }
    expect(rises).toBeGreaterThan(0);
  });
});

describe('generateSecond: labelled anomalies', () => {
  it('labels 3 % of the anomaly period, the kinds within one of each other, none in the clean period', () => {
    expect(data.labels.length / (5 * 20 * 30)).toBeCloseTo(0.03, 2);
    const counts = KINDS.map((k) => data.labels.filter((l) => l.kind === k).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(data.events.slice(0, data.history).some((e) => labels.has(e.event_id))).toBe(false);
    expect(data.labels.every((l) => l.detail.length > 0)).toBe(true);
  });

  it('never puts two anomalies on one store × product within 3 days', () => {
    for (const series of bySeries(data.events)) {
      const days = series.flatMap((e, day) => (labels.has(e.event_id) ? [day] : []));
      expect(days.every((d, i) => i === 0 || d - days[i - 1]! > 3)).toBe(true);
    }
  });

  it('changes only the labelled reports: the next day reports the true stock again', () => {
    data.events.forEach((e, i) => {
      if (labels.has(e.event_id)) expect(e).not.toEqual(clean.events[i]);
      else expect(e).toEqual(clean.events[i]);
    });
  });

  it('breaks exactly what each kind says', () => {
    const found = pairs(data.events).filter(({ e }) => labels.has(e.event_id));
    expect(found).toHaveLength(data.labels.length);
    for (const { e, before } of found) {
      const label = labels.get(e.event_id)!;
      expect(labels.has(before.event_id)).toBe(false);
      expectBroken(label, e, twins.get(e.event_id)!, before);
    }
  });
});

function expectBroken({ kind }: Label, e: InventoryEvent, twin: InventoryEvent, before: InventoryEvent) {
  const diff = changed(e, twin);
  if (kind === 'price_spike') {
    expect(diff).toEqual(['price']);
    expect(e.price).toBeGreaterThanOrEqual(4 * before.price - 0.005);
  } else if (kind === 'quantity_spike') {
    expect(diff).toEqual(['quantity']);
    expect(e.units_received).toBeUndefined();
    expect(e.quantity - (before.quantity - e.units_sold)).toBeGreaterThanOrEqual(
      Math.max(50, 5 * twin.quantity),
    );
  } else if (kind === 'negative_stock') {
    expect(diff).toEqual(['quantity']);
    expect(e.quantity).toBeGreaterThanOrEqual(-40);
    expect(e.quantity).toBeLessThanOrEqual(-1);
  } else if (kind === 'stock_drop_without_sales') {
    expect(['quantity', 'units_sold']).toEqual(expect.arrayContaining(diff));
    expect([e.units_sold, e.units_received, twin.units_received]).toEqual([0, undefined, undefined]);
    expect(twin.quantity).toBeGreaterThanOrEqual(10);
    expect(e.quantity).toBeLessThanOrEqual(0.65 * twin.quantity);
    expect(e.quantity).toBeLessThanOrEqual(0.65 * before.quantity);
  } else if (kind === 'gibberish_description') {
    expect(diff).toEqual(['description']);
    expect(e.description).toMatch(/^[A-Za-z]+( [A-Za-z]+){1,4}$/);
    expect(categoryOf(e.description)).toBeUndefined();
  } else {
    expect(diff).toEqual(['description']);
    expect(categoryOf(e.description)).toBeDefined();
    expect(categoryOf(e.description)!.name).not.toBe(e.category);
  }
}
