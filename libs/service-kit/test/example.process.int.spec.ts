import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const main = join(root, 'libs/service-kit/test/example/main.ts');

interface Started {
  child: ChildProcess;
  url: string;
  exit: Promise<number | null>;
  output: string[];
}

/** Runs the example's main as a real process on a free port; resolves once it listens. */
function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--conditions=@stockpulse/source', '--import', 'tsx', main], {
    cwd: root,
    env: { ...process.env, EXAMPLE_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no 'listening' line in 30 s:\n${output.join('')}`)),
      30_000,
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolve({ child, url: listening[1]!, exit, output });
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${output.join('\n')}`));
    });
  });
}

describe('a service process (example main)', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockpulse-example-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('answers /health, /ready and /metrics over HTTP, and stops cleanly on SIGTERM', async () => {
    const s = await start({ DATA_DIR: dataDir() });
    children.push(s.child);
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
    const ready = await fetch(`${s.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { store: 'ok', bus: 'ok' } });
    const metrics = await fetch(`${s.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toMatch(/^process_cpu_seconds_total\{/m);

    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    expect(s.output.join('\n')).toMatch(/"msg":"shutting down"/);
  });

  it('keeps a posted reading across a restart and counts it once', async () => {
    const dir = dataDir();
    const first = await start({ DATA_DIR: dir });
    children.push(first.child);
    const posted = await fetch(`${first.url}/api/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product_id: 'P1', store_location: 'NYC', quantity: 2 }),
    });
    expect(posted.status).toBe(202);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);

    const second = await start({ DATA_DIR: dir });
    children.push(second.child);
    let counts: unknown;
    for (let i = 0; i < 200; i++) {
      counts = await (await fetch(`${second.url}/api/counts`)).json();
      if ((counts as { total: number }).total > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(counts).toEqual({ items: [{ store_location: 'NYC', events: 1 }], total: 1 });
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  });

  it('exits 1 at boot naming the bad variable', async () => {
    await expect(start({ DATA_DIR: dataDir(), EXAMPLE_PORT: 'eighty', BUS: 'kafka' })).rejects.toThrow(
      /exited with 1 before listening:\nexample: invalid configuration: BUS must be one of embedded, pulsar \(got 'kafka'\); EXAMPLE_PORT must be integer \(got 'eighty'\)/,
    );
  });
});
