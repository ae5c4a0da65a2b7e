import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { SHOTS, noChromium, launchChromium } from '../support/browser.js';
import { getJson, Platform, post, until } from '../support/platform.js';

const skip = noChromium();

const STORE = 'Verdict Store';
const DAY = 86_400_000;

/** Day `d` of a product's daily reports at the store: steady stock, sales and receipts at 10, unless told. */
const report = (
  product_id: string,
  description: string,
  d: number,
  overrides: Record<string, unknown> = {},
) => ({
  product_id,
  store_location: STORE,
  category: 'Books',
  description,
  event_timestamp: new Date(Date.parse('2025-03-01T20:00:00Z') + d * DAY).toISOString(),
  quantity: 100,
  units_sold: 5,
  units_received: 5,
  price: 10,
  ...overrides,
});
const steadyWeek = (product: string, description: string) =>
  Array.from({ length: 8 }, (_, d) => report(product, description, d));

type Anomaly = { id: string; type: string; verdict?: string; verdict_reason?: string };
type List<T> = { items: T[]; total: number };

/**
 * The verdict loop in a real Chromium: a user marks an anomaly a false positive (with a reason) and the same
 * kind stops being listed (it becomes a note), while a kind the user confirmed keeps being detected.
 */
(skip ? describe.skip : describe)('anomaly verdicts in Chromium', () => {
  let p: Platform;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const send = async (records: unknown[]) => {
    const res = await post(`${p.gateway}/api/events`, records);
    expect(res.status).toBe(202);
  };
  const anomaliesOf = (product: string, type: string) =>
    getJson<List<Anomaly>>(`${p.gateway}/api/anomalies?product=${product}&type=${type}`);
  const rows = (product: string, type: string) =>
    page.locator('[data-table="anomalies"] tbody tr', { hasText: product }).filter({ hasText: type });
  /** The anomalies section, every severity (it opens on warnings), narrowed to one product. */
  const showProduct = async (product: string) => {
    await page.selectOption('[name="severity"]', '');
    await page.fill('[name="product"]', product);
    await page.press('[name="product"]', 'Enter');
    await page.waitForSelector('[aria-busy="false"] > [data-table="anomalies"]');
  };

  beforeAll(async () => {
    // the page's store and category choices come from the processor's inventory, so it runs too
    p = await Platform.start(['ingest', 'processor', 'anomaly', 'gateway', 'dashboard']);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  let rejected: Anomaly;

  it('marks a price drop a false positive, with its reason typed in the row', async () => {
    // Given a week at 10, then a day at 2.5
    const description = 'Penwright hardcover novel signed by the author';
    await send([
      ...steadyWeek('P-VERDICT', description),
      report('P-VERDICT', description, 8, { price: 2.5 }),
    ]);
    [rejected] = (
      await until(
        () => anomaliesOf('P-VERDICT', 'price_drop'),
        (l) => l.total === 1,
        'the price drop',
        30_000,
      )
    ).items as [Anomaly];

    // When the user rejects it in the dashboard
    await page.goto(`${p.url('dashboard')}/#anomalies`);
    await page.waitForSelector('[data-section="anomalies"]:not([hidden])');
    await showProduct('P-VERDICT');
    const row = rows('P-VERDICT', 'price_drop');
    await row.getByRole('button', { name: 'False positive', exact: true }).click();
    await row.getByRole('textbox', { name: 'Reason' }).fill('clearance price');
    await row.getByRole('button', { name: 'Save', exact: true }).click();

    // Then the row says so, in place, and the API keeps it
    await row.locator('[data-verdict="false_positive"]').waitFor();
    expect(await row.locator('[data-verdict]').textContent()).toBe('false positive');
    expect(await row.locator('[data-verdict]').getAttribute('title')).toBe('clearance price');
    expect(await row.getByRole('button', { name: 'False positive', exact: true }).isDisabled()).toBe(true);
    const judged = await getJson<Anomaly>(`${p.gateway}/api/anomalies/${rejected.id}`);
    expect(judged).toMatchObject({ verdict: 'false_positive', verdict_reason: 'clearance price' });
  }, 60_000);

  it('lists the same drop the next day as a note, not an anomaly, and exports the verdict as CSV', async () => {
    // Given the same price the next day
    await send([report('P-VERDICT', 'Penwright hardcover novel signed by the author', 9, { price: 2.5 })]);
    await until(
      () => getJson<List<Anomaly>>(`${p.gateway}/api/anomalies/notes?product=P-VERDICT&type=price_drop`),
      (l) => l.total === 1,
      'the second drop as a note',
      30_000,
    );

    // When the page is loaded again
    await page.reload();
    await page.waitForSelector('[data-section="anomalies"]:not([hidden])');
    await showProduct('P-VERDICT');
    await rows('P-VERDICT', 'price_drop').locator('[data-verdict="false_positive"]').waitFor();

    // Then it still lists the one drop the user rejected, and says a note is kept
    expect(await rows('P-VERDICT', 'price_drop').count()).toBe(1);
    expect((await anomaliesOf('P-VERDICT', 'price_drop')).total).toBe(1);
    await page.click('[data-notes] summary');
    expect(await page.textContent('[data-notes] summary')).toMatch(
      /kept for drill-down, not listed as anomalies/,
    );
    await page.locator('[data-notes] li', { hasText: 'price_drop' }).waitFor();

    // and the export link serves every verdict as CSV
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export verdicts (CSV)' }).click(),
    ]);
    const lines = readFileSync(await download.path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      'at,verdict,reason,anomaly_id,detector,type,severity,score,product_id,store_location,category,event_id,event_timestamp,explanation',
    );
    expect(lines[1]).toContain('false_positive,clearance price');
    expect(lines[1]).toContain(rejected.id);
  }, 60_000);

  it('keeps detecting a kind of anomaly the user confirmed', async () => {
    // Given negative stock, confirmed in the dashboard
    const description = 'Inkwell leather journal, A5';
    await send([
      ...steadyWeek('P-CONFIRM', description),
      report('P-CONFIRM', description, 8, { quantity: -3 }),
    ]);
    const [confirmed] = (
      await until(
        () => anomaliesOf('P-CONFIRM', 'negative_stock'),
        (l) => l.total === 1,
        'the negative stock',
        30_000,
      )
    ).items as [Anomaly];
    await showProduct('P-CONFIRM');
    const negative = rows('P-CONFIRM', 'negative_stock');
    await negative.getByRole('button', { name: 'Confirm', exact: true }).click();
    await negative.locator('[data-verdict="confirmed"]').waitFor();
    expect((await getJson<Anomaly>(`${p.gateway}/api/anomalies/${confirmed.id}`)).verdict).toBe('confirmed');

    // When it happens again
    await send([report('P-CONFIRM', description, 9, { quantity: -4 })]);

    // Then a second row appears (by the live stream, without reloading), not judged yet
    await negative.nth(1).waitFor({ timeout: 30_000 });
    expect(await negative.count()).toBe(2);
    expect(await negative.locator('[data-verdict]').allTextContents()).toEqual(['not judged', 'confirmed']);
    await page.screenshot({ path: join(SHOTS, 'verdicts.png'), fullPage: true });
  }, 60_000);

  it('logs no error in the browser console', () => {
    expect(errors).toEqual([]);
  });
});
