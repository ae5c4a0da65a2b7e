import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '@stockpulse/service-kit';
import { buildTestApp, type TestApp } from '@stockpulse/service-kit/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, migrations } from '../src/app.js';
import { NotifierConfig } from '../src/config.js';
import { createNotificationsRepository, type NotificationRow } from '../src/db/notifications.repository.js';

const config = loadConfig(NotifierConfig, { PROCESSOR_URL: 'http://127.0.0.1:9' });

const row = (id: string, fields: Partial<NotificationRow>): NotificationRow => ({
  id: `nt-${id}`,
  cause: `cause-${id}`,
  type: 'low_stock',
  severity: 'warning',
  status: 'open',
  title: '',
  message: '',
  product_id: null,
  products: [],
  store_location: 'NYC',
  category: null,
  count: 1,
  first_seen: '2025-03-01T08:00:00.000Z',
  last_seen: '2025-03-01T10:00:00.000Z',
  anomaly_ids: [],
  forecast_series: null,
  snoozed_until: null,
  created_at: '2025-03-01T08:00:00.000Z',
  updated_at: '2025-03-01T10:00:00.000Z',
  ...fields,
});

const ROWS = [
  row('a', {
    title: 'Low stock: P1 at NYC',
    message: 'Only 3 left (100% of 2 days of demand)',
    product_id: 'P1',
    products: ['P1'],
    category: 'Books',
    count: 2,
  }),
  row('b', {
    type: 'negative_stock',
    severity: 'critical',
    status: 'acknowledged',
    title: 'Negative stock: P2 at NYC',
    message: 'Stock is -3',
    product_id: 'P2',
    products: ['P2'],
    category: 'Toys',
    last_seen: '2025-03-01T12:00:00.000Z',
  }),
  row('c', {
    type: 'stockout_risk',
    severity: 'info',
    title: 'Stock-out risk at LA',
    message: 'Products P3_X, P4 run out within the lead time',
    products: ['P3_X', 'P4'],
    store_location: 'LA',
    count: 5,
  }),
  row('d', {
    type: 'price_anomaly',
    severity: 'critical',
    status: 'resolved',
    title: 'Price spike: P5 at LA',
    message: 'Price rose 50% on the count',
    product_id: 'P5',
    products: ['P5'],
    store_location: 'LA',
    category: 'Food',
    last_seen: '2025-03-02T00:00:00.000Z',
  }),
];

describe('GET /api/notifications: sort and search', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stockpulse-notifier-list-'));
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp((deps) => buildApp(deps, config), {
      name: 'notifier',
      migrations,
      storeFile: join(dir, 'notifications.db'),
    });
    const repo = createNotificationsRepository(t.db!);
    for (const r of ROWS) repo.save(r);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ids = async (query: string) => {
    const res = await t.app.inject({ url: `/api/notifications${query}` });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: { id: string }[] }>().items.map((n) => n.id.slice(3));
  };

  it('sorts by any of its columns, severity by rank, the latest then id breaking ties', async () => {
    expect(await ids('')).toEqual(['d', 'b', 'a', 'c']);
    expect(await ids('?sort=-severity')).toEqual(['d', 'b', 'a', 'c']);
    expect(await ids('?sort=severity')).toEqual(['c', 'a', 'd', 'b']);
    expect(await ids('?sort=-count,title')).toEqual(['c', 'a', 'b', 'd']);
    // a store-wide notification has no category: first ascending
    expect(await ids('?sort=category')).toEqual(['c', 'a', 'd', 'b']);
    expect(await ids('?sort=status')).toEqual(['b', 'a', 'c', 'd']);
    expect([...(await ids('?sort=status&limit=2')), ...(await ids('?sort=status&offset=2'))]).toEqual([
      'b',
      'a',
      'c',
      'd',
    ]);
  });

  it('searches title, message, product, store and category case-insensitively, % and _ as typed', async () => {
    expect(await ids('?q=%25')).toEqual(['d', 'a']);
    expect(await ids('?q=_')).toEqual(['c']);
    expect(await ids('?q=nyc')).toEqual(['b', 'a']);
    expect(await ids('?q=p4')).toEqual(['c']);
    expect(await ids('?q=LOW')).toEqual(['a']);
    expect(await ids('?status=open&q=stock')).toEqual(['a', 'c']);
    const page = await t.app.inject({ url: '/api/notifications?q=stock&limit=1' });
    expect(page.json()).toMatchObject({
      total: 3,
      items: [{ id: 'nt-b', title: 'Negative stock: P2 at NYC' }],
    });
  });

  it('refuses an unknown sort column and an overlong search, naming the parameter', async () => {
    const bad = await t.app.inject({ url: '/api/notifications?sort=anomaly_ids' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toEqual({
      field: 'querystring.sort',
      message:
        "cannot sort by 'anomaly_ids'; sortable columns: last_seen, first_seen, created_at, updated_at, id, " +
        'severity, status, type, title, count, store_location, category, product_id',
    });
    const long = await t.app.inject({ url: `/api/notifications?q=${'a'.repeat(129)}` });
    expect(long.json().error.details).toEqual([
      { field: 'querystring.q', message: 'must NOT have more than 128 characters' },
    ]);
  });
});
