import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestApp, type TestApp } from '../testing.js';
import { createServiceApp } from './create-app.js';

/** `/ready` against a store that another process locks, or that cannot grow. */
describe('readiness of the store', () => {
  let dir: string;
  let t: TestApp;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockpulse-ready-'));
    t = await buildTestApp((deps) => createServiceApp(deps, { name: 'ready' }), {
      name: 'ready',
      migrations: [],
      storeFile: join(dir, 'store.db'),
    });
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ready = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/ready' });
    return { status: res.statusCode, reason: res.json<{ reason?: string }>().reason ?? '' };
  };

  it('answers 503 while another process holds the write lock, and recovers when it lets go', async () => {
    expect((await ready()).status).toBe(200);
    const other = new Database(join(dir, 'store.db'));
    other.exec('BEGIN IMMEDIATE');
    const locked = await ready();
    expect(locked.status).toBe(503);
    expect(locked.reason).toMatch(/store.*locked/);
    other.exec('ROLLBACK');
    other.close();
    expect((await ready()).status).toBe(200);
  });

  it('answers 503 while the store cannot grow, and recovers when it can', async () => {
    const pages = t.db!.pragma('page_count', { simple: true }) as number;
    t.db!.pragma(`max_page_count = ${pages}`);
    const full = await ready();
    expect(full.status).toBe(503);
    expect(full.reason).toMatch(/store.*full/);
    t.db!.pragma('max_page_count = 1073741823');
    expect((await ready()).status).toBe(200);
  });
});
