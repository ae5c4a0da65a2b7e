import { describe, expect, it } from '@jest/globals';
import { type Page } from 'playwright-core';
import { noChromium, launchChromium } from '../support/browser.js';
import { forecastsAgreed, history, PROOF_ENV, settled } from '../support/answers.js';
import { Platform } from '../support/platform.js';

const skip = noChromium();
const SERVICES = ['processor', 'forecaster', 'anomaly', 'notifier'];

/** The texts of a section's figures and tables, as the page shows them (times and rates aside). */
async function shown(page: Page, url: string, section: string, selectors: string[]) {
  await page.goto(`${url}/#${section}`);
  await page.waitForSelector(`[data-section="${section}"]:not([hidden])`);
  const texts: Record<string, string[]> = {};
  for (const s of selectors) {
    await page.waitForSelector(s);
    // when a notification was last seen is the notifier's clock (and orders the list)
    texts[s] = (await page.locator(s).allTextContents())
      .map((t) => t.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<time>'))
      .sort();
  }
  return texts;
}

/** The dashboard of the same history with `n` partitions: what it shows, section by section. */
async function dashboard(n: number) {
  const p = await Platform.start(
    [
      'ingest',
      'gateway',
      'dashboard',
      ...SERVICES.flatMap((s) => Array.from({ length: n }, (_, i) => `${s}@${i}`)),
    ],
    {
      PARTITIONS: String(n),
      ...PROOF_ENV,
    },
  );
  const browser = await launchChromium();
  try {
    await history(p, 33, 40, 5, 15);
    await settled(p);
    await forecastsAgreed(p);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const url = p.url('dashboard');
    return {
      overview: await shown(page, url, 'overview', [
        '[data-kpi="total_stock_value"] strong',
        '[data-kpi="products_out"] strong',
        '[data-kpi="products_low"] strong',
        '[data-kpi="open_alerts"] strong',
      ]),
      anomalies: await shown(page, url, 'anomalies', ['[data-table="anomalies"] tbody tr']),
      forecasts: await shown(page, url, 'forecasts', ['[data-table="models"] tbody tr']),
      notifications: await shown(page, url, 'notifications', ['[data-table="notifications"] tbody tr']),
    };
  } finally {
    await browser.close();
    await p.stop();
  }
}

/**
 * The dashboard in Chromium over the same history with 1 partition and with 3: the same figures and rows in
 * the overview, the anomalies, the models leaderboard and the notifications.
 */
(skip ? describe.skip : describe)('the dashboard does not depend on PARTITIONS', () => {
  it('shows the same figures with 1 and with 3 partitions', async () => {
    const one = await dashboard(1);
    const three = await dashboard(3);
    expect(one.overview['[data-kpi="total_stock_value"] strong']![0]).toMatch(/\d/);
    expect(one.anomalies['[data-table="anomalies"] tbody tr']!.length).toBeGreaterThan(0);
    expect(three).toEqual(one);
  }, 600_000);
});
