import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildTestApp, type TestApp } from '@stockpulse/service-kit/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, migrations } from '../src/app.js';
import type { IngestConfig } from '../src/config.js';

const config = {
  INGEST_PORT: 0,
  DEMO: 'off',
  TEST_MODE: 'off',
  DEMO_RATE: 0,
  INGEST_MAX_BODY_BYTES: 1024 * 1024,
} as unknown as IngestConfig;

/** Received in this order (so `seq` 1–5): product, store, description, quantity, event time. */
const RECORDS = [
  ['P1', 'NYC', 'Mug 100% ceramic', 4, '2025-03-01T10:00:00Z'],
  ['P2', 'NYC', 'snake_case mug', 9, '2025-03-01T08:00:00Z'],
  ['P3', 'LA', 'Blue MUG', 4, '2025-03-01T12:00:00Z'],
  ['P1', 'LA', 'Mug 100 ml', 1, '2025-03-01T09:00:00Z'],
  ['P4', 'LA', 'Tee cup', 4, '2025-03-01T11:00:00Z'],
] as const;

describe('GET /api/events: sort and search', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stockpulse-ingest-list-'));
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp((deps) => buildApp(deps, config), {
      name: 'ingest',
      migrations,
      storeFile: join(dir, 'inventory.db'),
    });
    for (const [product_id, store_location, description, quantity, event_timestamp] of RECORDS) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/events',
        payload: {
          product_id,
          store_location,
          category: 'Kitchen',
          description,
          quantity,
          price: 2,
          event_timestamp,
        },
      });
      expect(res.statusCode).toBe(202);
    }
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const keys = async (url: string) => {
    const res = await t.app.inject({ url });
    expect(res.statusCode).toBe(200);
    return res
      .json<{ items: Record<string, unknown>[] }>()
      .items.map((e) => `${String(e.store_location)}/${String(e.product_id)}`);
  };

  it('lists the newest received first by default, and sorts by any column with arrival breaking ties', async () => {
    expect(await keys('/api/events')).toEqual(['LA/P4', 'LA/P1', 'LA/P3', 'NYC/P2', 'NYC/P1']);
    expect(await keys('/api/events?sort=event_timestamp')).toEqual([
      'NYC/P2',
      'LA/P1',
      'NYC/P1',
      'LA/P4',
      'LA/P3',
    ]);
    // three with quantity 4: the newest received of them first
    expect(await keys('/api/events?sort=-quantity')).toEqual(['NYC/P2', 'LA/P4', 'LA/P3', 'NYC/P1', 'LA/P1']);
    expect(await keys('/api/events?sort=store_location,-event_timestamp')).toEqual([
      'LA/P3',
      'LA/P4',
      'LA/P1',
      'NYC/P1',
      'NYC/P2',
    ]);
    expect(await keys('/api/events?sort=-quantity&limit=2&offset=1')).toEqual(['LA/P4', 'LA/P3']);
  });

  it('searches case-insensitively, % and _ as typed, with the filters as before', async () => {
    expect(await keys('/api/events?q=mug')).toEqual(['LA/P1', 'LA/P3', 'NYC/P2', 'NYC/P1']);
    expect(await keys('/api/events?q=100%25')).toEqual(['NYC/P1']);
    expect(await keys('/api/events?q=e_c')).toEqual(['NYC/P2']);
    expect(await keys('/api/events?q=la&store=LA&sort=product_id')).toEqual(['LA/P1', 'LA/P3', 'LA/P4']);
    expect(await keys('/api/events?q=MUG&product=P1')).toEqual(['LA/P1', 'NYC/P1']);
    const res = await t.app.inject({ url: '/api/events?q=mug&limit=1' });
    expect(res.json()).toMatchObject({ total: 4, items: [{ product_id: 'P1', description: 'Mug 100 ml' }] });
  });

  it('refuses a column it does not sort by, and an overlong search, naming the parameter', async () => {
    const bad = await t.app.inject({ url: '/api/events?sort=seq' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toEqual({
      field: 'querystring.sort',
      message:
        "cannot sort by 'seq'; sortable columns: event_timestamp, received_at, product_id, store_location, " +
        'category, description, quantity, units_sold, units_received, price, event_id, source',
    });
    const long = await t.app.inject({ url: `/api/events?q=${'%25'.repeat(129)}` });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.details).toEqual([
      { field: 'querystring.q', message: 'must NOT have more than 128 characters' },
    ]);
  });
});
