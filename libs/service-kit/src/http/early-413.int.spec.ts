import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { buildTestApp, type TestApp } from '../testing.js';
import { createServiceApp } from './create-app.js';

/** Sends `size` bytes with node:http (no retries, no pooling tricks) and returns status, body and write error. */
function send(port: number, size: number) {
  return new Promise<{ status: number; body: string; writeError?: string }>((resolve, reject) => {
    let writeError: string | undefined;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/echo',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode!, body, ...(writeError ? { writeError } : {}) }),
        );
      },
    );
    req.on('error', (err) => (writeError = err.message));
    req.on('close', () => writeError && reject(new Error(writeError)));
    req.end(JSON.stringify({ text: 'x'.repeat(Math.max(0, size - 11)) }));
  });
}

describe('bodies over the limit', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await buildTestApp(
      async (deps) => {
        const app = await createServiceApp(deps, { name: 'limits', bodyLimit: 4096 });
        app.post('/api/echo', async (request) => ({ length: JSON.stringify(request.body).length }));
        return app;
      },
      { name: 'limits' },
    );
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(() => t.close());

  it('answers 413 naming the size and the limit, and the client receives it while still sending', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await send(port, 256 * 1024);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual({
        error: {
          code: 'PAYLOAD_TOO_LARGE',
          message: 'request body is 262144 bytes; the limit is 4096 bytes',
        },
      });
    }
  });

  it('accepts a body at the limit', async () => {
    const res = await send(port, 4096);
    expect(res).toEqual({ status: 200, body: JSON.stringify({ length: 4096 }) });
  });
});
