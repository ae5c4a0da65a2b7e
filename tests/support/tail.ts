import { eventually } from '@stockpulse/service-kit/testing';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, type Platform } from './platform.js';

/**
 * `pnpm tail <topic> --from earliest` as a downstream consumer would run it, against the platform's bus: the
 * first `count` lines it prints (one envelope each), then it is stopped with SIGTERM.
 */
export async function tail(p: Platform, topic: string, count: number, timeoutMs = 30_000): Promise<string[]> {
  const script = join(ROOT, 'infra/tail.ts');
  const args = ['--conditions=@stockpulse/source', '--import', 'tsx', script, topic, '--from', 'earliest'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...p.busEnvironment, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await eventually(
      () => Promise.resolve(lines.length),
      (n) => n >= count || child.exitCode !== null,
      `${count} lines from pnpm tail ${topic}`,
      timeoutMs,
    );
    if (lines.length < count) throw new Error(`pnpm tail exited early:\n${stderr}`);
    return lines.slice(0, count);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
