import type { OutgoingMessage } from '@stockpulse/contracts';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export function tempDir(prefix = 'stockpulse-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const uniqueName = (prefix: string) => `${prefix}.${randomUUID().slice(0, 8)}`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` every 10 ms until it holds; fails after `timeoutMs` with `what`. Bounded by design. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A message for a test topic (outside the contract map: only the envelope is checked). */
export function testMessage(topic: string, n: number, key = `k${n % 4}`): OutgoingMessage {
  const id = randomUUID();
  return {
    topic,
    key,
    envelope: {
      id,
      type: 'test',
      version: 1,
      occurred_at: new Date().toISOString(),
      correlation_id: id,
      causation_id: null,
      producer: 'bus-contract-suite',
      payload: { n },
    },
  };
}

export const messages = (topic: string, count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => testMessage(topic, from + i));

export interface Handled {
  n: number;
  key: string;
  attempt: number;
  pid: number;
  /** When the handler finished (epoch ms, sub-millisecond). */
  at: number;
}

/** A consumer in a real child process (fixtures/consumer-process.ts); collects what it reports. */
export class ConsumerProcess {
  readonly handled: Handled[] = [];
  readonly child: ChildProcess;
  private ready = false;
  private exited = false;
  stderr = '';

  constructor(env: Record<string, string>) {
    this.child = spawn(
      process.execPath,
      [
        '--conditions=@stockpulse/source',
        '--import',
        'tsx',
        join(REPO_ROOT, 'libs/bus/test/fixtures/consumer-process.ts'),
      ],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const msg = JSON.parse(line) as Handled | { ready: true };
      if ('ready' in msg) this.ready = true;
      else this.handled.push(msg);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on('exit', () => (this.exited = true));
  }

  async started(): Promise<this> {
    await waitFor(() => this.ready || this.exited, 'the consumer process to subscribe', 30_000);
    if (!this.ready) throw new Error(`consumer process exited before subscribing:\n${this.stderr}`);
    return this;
  }

  get alive(): boolean {
    return !this.exited;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.exited) return;
    this.child.kill(signal);
    await waitFor(() => this.exited, `the consumer process to exit on ${signal}`);
  }

  async exit(): Promise<void> {
    await waitFor(() => this.exited, 'the consumer process to exit', 30_000);
  }
}
