/**
 * `pnpm bench`: every benchmark, one after the other (never two at once: they would measure each other),
 * each printing one line per figure; then bench/results.json with every figure, the machine and the commit.
 * BENCH_ONLY=bus,forecast runs some of them. The platform benchmark loads BENCH_EVENTS events, 250,000 here
 * so that the whole run stays near 10 minutes on two cores, with the loads of users at scale but the long
 * `history` one (BENCH_LOADS to choose; `pnpm bench:pipeline` runs them all) and the forecaster without its
 * 10,000-series phase (BENCH_FORECAST; `pnpm bench:forecast` runs it); `BENCH_EVENTS=1000000 pnpm bench`
 * is the issue's million (about 25 minutes here: BENCHMARKS.md).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './support/report.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCHES: Record<string, string> = {
  bus: 'libs/bus/bench/bus.bench.ts',
  pipeline: 'bench/pipeline.bench.ts',
  forecast: 'bench/forecast.bench.ts',
  anomaly: 'bench/anomaly.bench.ts',
};
const only = process.env.BENCH_ONLY?.split(',');
const dir = mkdtempSync(join(os.tmpdir(), 'stockpulse-bench-'));
const results = join(dir, 'figures.jsonl');

function run(name: string, file: string): Promise<number> {
  console.log(`\n== ${name} (${file})`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--conditions=@stockpulse/source', '--import', 'tsx', join(ROOT, file)],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        BENCH_EVENTS: '250000',
        BENCH_LOADS: 'classic,series,broad,deep,wide',
        // the forecaster's 10,000-series run takes a quarter of an hour on its own: `pnpm bench:forecast`
        BENCH_FORECAST: 'accuracy,speed,service',
        ...process.env,
        BENCH_RESULTS: results,
      },
    },
  );
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolve((performance.now() - started) / 1000)
        : reject(new Error(`${name} benchmark exited with ${code}`)),
    ),
  );
}

const commit = () => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    return null;
  }
};

const started = performance.now();
const seconds: Record<string, number> = {};
const failed: string[] = [];
try {
  for (const [name, file] of Object.entries(BENCHES)) {
    if (only && !only.includes(name)) continue;
    try {
      seconds[name] = Math.round(await run(name, file));
    } catch (err) {
      failed.push((err as Error).message);
      console.error((err as Error).message);
    }
  }
  const figures = readFileSync(results, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Figure);
  const cpu = os.cpus();
  writeFileSync(
    join(ROOT, 'bench/results.json'),
    `${JSON.stringify(
      {
        generated_at: new Date().toISOString(),
        commit: commit(),
        machine: {
          cpus: cpu.length,
          cpu_model: cpu[0]?.model ?? null,
          memory_gb: Math.round(os.totalmem() / 2 ** 30),
          os: `${os.type()} ${os.release()}`,
          node: process.version,
        },
        seconds: { ...seconds, total: Math.round((performance.now() - started) / 1000) },
        failed,
        figures,
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `\n${figures.length} figures in ${Math.round((performance.now() - started) / 1000)} s → bench/results.json`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed.length) process.exit(1);
