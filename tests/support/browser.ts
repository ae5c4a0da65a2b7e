import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { getJson, Platform, post, ROOT, until } from './platform.js';

/** Debian's Chromium (Playwright cannot download browsers here), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the browser tests leave their screenshots (not committed). */
export const SHOTS = join(ROOT, 'tests/browser/screenshots');

/** True (and says why) when there is no Chromium: the browser tests skip. */
export function noChromium(): boolean {
  const missing = !existsSync(CHROMIUM);
  if (missing)
    console.log(
      `browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
    );
  return missing;
}

export function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Every service with its dashboard, in test mode, quick to flush and to forecast. */
export const DASHBOARD_ENV = {
  TEST_MODE: 'on',
  PROCESSOR_FLUSH_MS: '20',
  FORECAST_INTERVAL_MS: '500',
  FORECASTER_MODELS: 'SeasonalNaive,Mean,ETS,TSB',
  FORECAST_THREADS: '1',
  NOTIFIER_TICK_MS: '50',
};

/**
 * The whole platform with its dashboard (`env` over DASHBOARD_ENV), and a generated history (`generate`: POST
 * /api/generate's body).
 */
export async function dashboardPlatform(
  generate: Record<string, number>,
  env: Record<string, string> = {},
): Promise<Platform> {
  const p = await Platform.start(
    ['processor', 'ingest', 'forecaster', 'anomaly', 'notifier', 'gateway', 'dashboard'],
    { ...DASHBOARD_ENV, ...env },
  );
  const job = await post(`${p.gateway}/api/generate`, generate);
  await until(
    () => getJson<{ status: string }>(`${p.gateway}/api/jobs/${job.body.job_id as string}`),
    (j) => j.status === 'succeeded',
    'the history',
    90_000,
  );
  return p;
}
