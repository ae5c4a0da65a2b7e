import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { SHOTS, noChromium, launchChromium, dashboardPlatform } from '../support/browser.js';
import { getJson, post, until, type Platform } from '../support/platform.js';

const skip = noChromium();

/** The whole platform as real processes, in test mode, and its dashboard in a real Chromium. */
(skip ? describe.skip : describe)('dashboard in Chromium', () => {
  let p: Platform;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    p = await dashboardPlatform({
      days: 45,
      stores: 2,
      products: 6,
      categories: 3,
      seed: 21,
      anomalies: 12,
    });
    // a description with markup: it must show as text
    await post(`${p.gateway}/api/events`, {
      product_id: 'P001',
      store_location: 'NYC',
      category: 'Electronics',
      description: '<img src=x onerror="document.title=\'pwned\'"> Voltara wireless headphones',
      quantity: 5,
      price: 50,
      event_timestamp: new Date().toISOString(),
    });
    await until(
      () => getJson(`${p.gateway}/api/forecasts?limit=1`),
      (f) => f.total > 0,
      'a forecast',
      60_000,
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  const open = async (section: string) => {
    await page.goto(`${p.url('dashboard')}/#${section}`);
    await page.waitForSelector(`[data-section="${section}"]:not([hidden])`);
  };
  const shoot = (section: string) => page.screenshot({ path: join(SHOTS, `${section}.png`), fullPage: true });

  it('shows the overview with the numbers the API gives and every service up, under a strict CSP', async () => {
    const response = await page.goto(`${p.url('dashboard')}/#overview`);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response!.headers()['x-content-type-options']).toBe('nosniff');
    await open('overview');
    await page.waitForSelector('[data-kpi="total_stock_value"] strong');
    const overview = await getJson<{ kpis: { products_out: number }; dead_letters: { total: number } }>(
      `${p.gateway}/api/overview`,
    );
    expect(await page.textContent('[data-kpi="products_out"] strong')).toBe(
      overview.kpis.products_out.toLocaleString('en-US'),
    );
    expect(await page.textContent('[data-kpi="dead_letters"] strong')).toBe(
      overview.dead_letters.total.toLocaleString('en-US'),
    );
    const services = await page.locator('[data-service]').allTextContents();
    expect(services).toHaveLength(5);
    expect(services.every((s) => s.includes(': up'))).toBe(true);
    expect(await page.textContent('#live')).toContain('live');
    await shoot('overview');
  });

  it('lists recent events and draws the event rate', async () => {
    await open('ingestion');
    await page.waitForSelector('[data-table="recent-events"] tbody tr td');
    // one page of the server's list: 25 rows of the 45 days' events
    expect(await page.locator('[data-table="recent-events"] tbody tr').count()).toBe(25);
    expect(await page.$('[data-chart="event-rate"] canvas')).not.toBeNull();
    await shoot('ingestion');
  });

  it('draws the metrics, and drills from a heatmap cell to its products and a product’s page', async () => {
    await open('metrics');
    await page.waitForSelector('[data-chart="stock-by-store"] canvas');
    expect(await page.$('[data-chart="turnover"] canvas')).not.toBeNull();
    await page.click('[data-cell^="NYC|"]');
    await page.waitForSelector('[data-table="drill-products"] tbody tr.clickable');
    await shoot('metrics');
    await page.click('[data-table="drill-products"] tbody tr.clickable');
    await page.waitForSelector('[data-product-page^="NYC|"]');
  });

  it('draws a forecast with its bands and exports the leaderboard as CSV', async () => {
    await open('forecasts');
    await page.waitForSelector('[data-chart="forecast"] canvas');
    await page.waitForSelector('[data-table="models"] tbody tr td');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-csv="models"]')]);
    const csv = readFileSync(await download.path(), 'utf8');
    const [header, ...rows] = csv.trim().split('\n');
    expect(header).toBe(
      '"level","model","series","chosen","mase","vs_seasonal_naive","beats_seasonal_naive","smape","wape","coverage_80","coverage_95","live_mae","live_days"',
    );
    // per level, and SeasonalNaive against itself: 1, beating itself on no series
    expect(rows.find((r) => r.startsWith('"product","SeasonalNaive"'))).toMatch(
      /^"product","SeasonalNaive","\d+","\d+","[^"]*","1","0",/,
    );
    await shoot('forecasts');
  });

  it('shows anomalies with their explanations, markup as text', async () => {
    await open('anomalies');
    await page.selectOption('[name="severity"]', 'critical');
    await page.waitForSelector('[data-table="anomalies"] tbody tr td');
    await page.selectOption('[name="severity"]', '');
    await page.selectOption('[name="detector"]', 'text');
    // (waits by locator: the CSP forbids evaluating strings, as it should)
    await page.locator('[data-table="anomalies"] td', { hasText: '<img src=x' }).first().waitFor();
    expect(await page.$('[data-table="anomalies"] img')).toBeNull();
    expect(await page.title()).toBe('stockpulse');
    await shoot('anomalies');
  });

  it('acknowledges a notification and shows its new state and history', async () => {
    await open('notifications');
    await page.waitForSelector('[data-table="notifications"] [data-action="ack"]');
    await page.click('[data-table="notifications"] [data-action="ack"]');
    await page.waitForSelector('[data-detail] [data-status="acknowledged"]');
    const acknowledged = await getJson(`${p.gateway}/api/notifications?status=acknowledged`);
    expect(acknowledged.total).toBe(1);
    expect(await page.textContent('[data-detail]')).toContain('dashboard');
    await shoot('notifications');
  });

  it('injects anomalies in test mode and shows their detection', async () => {
    await open('test-mode');
    await page.fill('[name="count"]', '3');
    await page.click('text=Inject anomalies');
    await page.locator('[data-test-mode]', { hasText: 'Injected 3' }).waitFor();
    await page.waitForSelector('[data-table="score"] tbody tr td');
    await shoot('test-mode');
  });

  it('logs no error in the browser console', () => {
    expect(errors).toEqual([]);
  });
});
