import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '@stockpulse/service-kit';
import { buildTestApp, type TestApp } from '@stockpulse/service-kit/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, migrations } from '../src/app.js';
import { AnomalyConfig } from '../src/config.js';

const config = loadConfig(AnomalyConfig, { INGEST_URL: 'http://127.0.0.1:9' });

/** id, detector, type, severity, score, explanation, event id, product, store, category, event time */
const ROWS = [
  [
    'an-a',
    'rules',
    'negative_stock',
    'critical',
    0.9,
    'Stock went negative: recheck the count',
    'e1',
    'P1',
    'NYC',
    'Books',
    '2025-03-01T10:00:00.000Z',
  ],
  [
    'an-b',
    'rules',
    'price_drop',
    'warning',
    0.7,
    'Price fell 50% in a day',
    'e2',
    'P2',
    'NYC',
    'Toys',
    '2025-03-01T12:00:00.000Z',
  ],
  [
    'an-c',
    'text',
    'description_mismatch',
    'warning',
    0.8,
    'Says snake_case, unlike its category',
    'e3',
    'P3',
    'LA',
    'Books',
    '2025-03-01T10:00:00.000Z',
  ],
  [
    'an-d',
    'forecast_residual',
    'demand_spike',
    'critical',
    0.95,
    'Sold 3x the forecast',
    null,
    'P1',
    'LA',
    'Books',
    '2025-03-02T00:00:00.000Z',
  ],
  [
    'an-e',
    'rules',
    'price_spike',
    'warning',
    0.7,
    'Price rose 100%',
    'e5',
    'P4',
    'LA',
    'Food',
    '2025-03-01T08:00:00.000Z',
  ],
] as const;

describe('GET /api/anomalies: sort and search', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stockpulse-anomaly-list-'));
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp((deps) => buildApp(deps, config), {
      name: 'anomaly',
      migrations,
      storeFile: join(dir, 'anomalies.db'),
    });
    const insert = t.db!.prepare(
      `INSERT INTO anomalies (id, cause, detector, type, severity, score, explanation, event_id, product_id,
         store_location, category, event_timestamp, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const [id, ...rest] of ROWS) insert.run(id, `cause-${id}`, ...rest, '2025-03-02T01:00:00.000Z');
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ids = async (query: string) => {
    const res = await t.app.inject({ url: `/api/anomalies${query}` });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: { id: string }[] }>().items.map((a) => a.id.slice(3));
  };

  it('sorts by any of its columns, severity by rank, newest event then id breaking ties', async () => {
    expect(await ids('')).toEqual(['d', 'b', 'a', 'c', 'e']);
    expect(await ids('?sort=-severity,score')).toEqual(['a', 'd', 'b', 'e', 'c']);
    expect(await ids('?sort=severity')).toEqual(['b', 'c', 'e', 'd', 'a']);
    // a day-level anomaly has no event id: first ascending, last descending
    expect(await ids('?sort=event_id')).toEqual(['d', 'a', 'b', 'c', 'e']);
    expect(await ids('?sort=-event_id')).toEqual(['e', 'c', 'b', 'a', 'd']);
    expect(await ids('?sort=store_location,-score')).toEqual(['d', 'c', 'e', 'a', 'b']);
  });

  it('pages a sorted list stably', async () => {
    const pages = [
      ...(await ids('?sort=-severity&limit=2')),
      ...(await ids('?sort=-severity&limit=3&offset=2')),
    ];
    expect(pages).toEqual(['d', 'a', 'b', 'c', 'e']);
  });

  it('searches product, store, category, type and explanation case-insensitively, % and _ as typed', async () => {
    expect(await ids('?q=%25')).toEqual(['b', 'e']);
    // (as a wildcard, _ would match 'the count' too)
    expect(await ids('?q=e_c')).toEqual(['c']);
    expect(await ids('?q=SPIKE')).toEqual(['d', 'e']);
    expect(await ids('?q=nyc')).toEqual(['b', 'a']);
    expect(await ids('?q=books&sort=-score')).toEqual(['d', 'a', 'c']);
    expect(await ids('?store=LA&q=spike&severity=warning')).toEqual(['e']);
    const page = await t.app.inject({ url: '/api/anomalies?q=books&limit=1' });
    expect(page.json()).toMatchObject({ total: 3, items: [{ id: 'an-d', type: 'demand_spike' }] });
  });

  it('refuses an unknown sort column and an overlong search, naming the parameter', async () => {
    const bad = await t.app.inject({ url: '/api/anomalies?sort=-colour' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toEqual({
      field: 'querystring.sort',
      message:
        "cannot sort by 'colour'; sortable columns: event_timestamp, detected_at, id, severity, score, detector, " +
        'type, product_id, store_location, category, event_id, verdict, explanation',
    });
    const long = await t.app.inject({ url: `/api/anomalies?q=${'a'.repeat(129)}` });
    expect(long.json().error.details).toEqual([
      { field: 'querystring.q', message: 'must NOT have more than 128 characters' },
    ]);
  });
});
