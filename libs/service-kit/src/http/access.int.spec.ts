import { afterEach, describe, expect, it } from '@jest/globals';
import { buildTestApp, type TestApp } from '../testing.js';
import type { AccessKeys } from './access.js';
import { createServiceApp } from './create-app.js';

describe('API keys', () => {
  let t: TestApp | undefined;
  afterEach(() => t?.close());

  const start = async (keys?: AccessKeys) => {
    t = await buildTestApp(
      async (deps) => {
        const app = await createServiceApp(deps, { name: 'keys' });
        app.get('/api/things', async () => ({ items: [], total: 0 }));
        app.post('/api/things', async (_request, reply) => reply.status(201).send({ ok: true }));
        return app;
      },
      { name: 'keys', ...(keys ? { keys } : {}) },
    );
    return async (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}) =>
      (await t!.app.inject({ method, url, headers, ...(method === 'POST' ? { payload: {} } : {}) }))
        .statusCode;
  };

  it('leave everything open when none is set', async () => {
    const call = await start();
    expect(await call('POST', '/api/things')).toBe(201);
    expect(await call('GET', '/api/things')).toBe(200);
  });

  it('with API_KEY, refuse writes without the key or with another, and keep reads open', async () => {
    const call = await start({ apiKey: 'write-key-0123456789' });
    expect(await call('POST', '/api/things')).toBe(401);
    expect(await call('POST', '/api/things', { 'x-api-key': 'write-key-012345678' })).toBe(401);
    expect(await call('POST', '/api/things', { 'x-api-key': 'write-key-0123456789' })).toBe(201);
    expect(await call('POST', '/api/things', { authorization: 'Bearer write-key-0123456789' })).toBe(201);
    expect(await call('GET', '/api/things')).toBe(200);
    const refused = await t!.app.inject({ method: 'POST', url: '/api/things', payload: {} });
    expect(refused.json()).toEqual({
      error: {
        code: 'UNAUTHORIZED',
        message: 'writes need the API key: send it as the x-api-key header (or Authorization: Bearer)',
      },
    });
  });

  it('with READ_API_KEY too, refuse reads without a key, and take either key for them', async () => {
    const call = await start({ apiKey: 'write-key-0123456789', readApiKey: 'read-key-0123456789' });
    expect(await call('GET', '/api/things')).toBe(401);
    expect(await call('GET', '/api/things', { 'x-api-key': 'read-key-0123456789' })).toBe(200);
    expect(await call('GET', '/api/things', { 'x-api-key': 'write-key-0123456789' })).toBe(200);
    expect(await call('POST', '/api/things', { 'x-api-key': 'read-key-0123456789' })).toBe(401);
    // operations stay open
    expect(await call('GET', '/health')).toBe(200);
    expect(await call('GET', '/openapi.json')).toBe(200);
  });
});
