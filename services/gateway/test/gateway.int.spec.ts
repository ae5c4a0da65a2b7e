import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '@stockpulse/service-kit';
import { buildTestApp, closedUrl, type TestApp } from '@stockpulse/service-kit/testing';
import { buildApp } from '../src/app.js';
import { GatewayConfig } from '../src/config.js';

/** The gateway alone, every service behind it down. */
async function gatewayAlone(env: Record<string, string>): Promise<TestApp> {
  const down = await closedUrl();
  const config = loadConfig(GatewayConfig, {
    INGEST_URL: down,
    PROCESSOR_URL: down,
    FORECASTER_URL: down,
    ANOMALY_URL: down,
    NOTIFIER_URL: down,
    ...env,
  });
  return buildTestApp((deps) => buildApp(deps, config), { name: 'gateway' });
}

/** The gateway alone, every service behind it down, test mode off. */
describe('gateway with every service down', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await gatewayAlone({ OVERVIEW_TIMEOUT_MS: '500' });
  });
  afterAll(() => t.close());

  it('still answers the overview, each service down and its tiles empty, saying why', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/overview' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      services: Record<string, { status: string }>;
      kpis: Record<string, unknown>;
      unavailable: string[];
    }>();
    expect(Object.keys(body.services).sort()).toEqual([
      'anomaly',
      'forecaster',
      'ingest',
      'notifier',
      'processor',
    ]);
    expect(Object.values(body.services).every((s) => s.status === 'down')).toBe(true);
    expect(body.kpis.total_stock_value).toBeNull();
    expect(body.kpis.open_alerts).toBeNull();
    expect(body.unavailable.map((u) => u.split(':')[0]).sort()).toEqual([
      'anomaly',
      'ingest',
      'notifier',
      'processor',
    ]);
  });

  it('answers 503 naming the service for a forwarded route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/notifications' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('notifier');
  });

  it('refuses test mode when it is off, naming the setting', async () => {
    for (const [method, url] of [
      ['POST', '/api/test-mode/anomalies'],
      ['POST', '/api/test-mode/actuals'],
      ['GET', '/api/test-mode/score'],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        ...(method === 'POST' ? { payload: { count: 1 } } : {}),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        error: {
          code: 'TEST_MODE_OFF',
          message: 'test mode is off: start the gateway (and ingest) with TEST_MODE=on',
        },
      });
    }
  });
});

describe('gateway rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await gatewayAlone({ OVERVIEW_TIMEOUT_MS: '200', GATEWAY_RATE_LIMIT: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 past the limit per address on the API, saying when to retry; operations stay open', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await t.app.inject({ method: 'GET', url: '/api/overview' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const refused = await t.app.inject({ method: 'GET', url: '/api/overview' });
    expect(refused.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^more than 3 requests a minute from this address; retry in \d+ s$/),
    });
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
