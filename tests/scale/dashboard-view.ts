import type { Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import type { Platform } from '../support/platform.js';

/** The texts of a section's figures and tables, as the page shows them (times aside). */
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

/**
 * What the dashboard of `p` shows in Chromium, section by section: the overview's figures, and the first
 * page of the anomalies, the models' leaderboard and the notifications.
 */
export async function dashboardView(p: Platform) {
  const browser = await launchChromium();
  try {
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
  }
}
