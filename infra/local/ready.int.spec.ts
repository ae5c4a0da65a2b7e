import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { getEventListeners } from 'node:events';
import { closedUrl } from '@stockpulse/service-kit/testing';
import { awaitReady, readiness } from './ready.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

/** A process answering /ready with `status` (a 503 says why, as the kit's health plugin does). */
async function aProcess(status: number): Promise<string> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/ready' ? status : 404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(status === 200 ? { status: 'ready' } : { status: 'not_ready', reason: 'bus: down' }),
    );
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('awaitReady', () => {
  it('names, after the bound, the processes that never answered 200, with why', async () => {
    const targets = [
      { name: 'processor', url: await aProcess(200) },
      { name: 'forecaster', url: await aProcess(503) },
      { name: 'notifier', url: await closedUrl() },
    ];
    const started = Date.now();
    const late = await awaitReady(targets, {
      timeoutMs: 700,
      intervalMs: 100,
      signal: new AbortController().signal,
    });
    expect(late).toEqual([
      { name: 'forecaster', why: '503 bus: down' },
      { name: 'notifier', why: 'not listening' },
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('waits for a process that becomes ready, then gives the ready line', async () => {
    const url = await closedUrl();
    const port = Number(new URL(url).port);
    const later = setTimeout(() => {
      const server = createServer((_req, res) => res.end('{"status":"ready"}'));
      servers.push(server);
      server.listen(port, '127.0.0.1');
    }, 300);
    const platform = { dashboard: 'd', api: 'a', bus: 'embedded', services: 1, partitions: 1 };
    const { ok, line } = await readiness([{ name: 'gateway', url }], platform, {
      timeoutMs: 5000,
      signal: new AbortController().signal,
    });
    clearTimeout(later);
    expect(ok).toBe(true);
    expect(line).toMatch(/^stockpulse ready in \d+\.\d s — dashboard d · API a · bus embedded · 1 services/);
  });

  it("polls a dozen processes with one listener on the launcher's signal (no listener-leak warning)", async () => {
    const url = await aProcess(503);
    const targets = Array.from({ length: 12 }, (_, i) => ({ name: `processor#${i}`, url }));
    const stop = new AbortController();
    const polling = awaitReady(targets, { timeoutMs: 600, intervalMs: 100, signal: stop.signal });
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((done) => setTimeout(done, 80));
      seen.push(getEventListeners(stop.signal, 'abort').length);
    }
    expect(await polling).toHaveLength(12);
    expect(Math.max(...seen)).toBe(1);
  });

  it('stops waiting when the launcher stops', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    const started = Date.now();
    const late = await awaitReady([{ name: 'ingest', url: await aProcess(503) }], {
      timeoutMs: 30_000,
      signal: stop.signal,
    });
    expect(late).toEqual([{ name: 'ingest', why: '503 bus: down' }]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
