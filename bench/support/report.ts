/**
 * One figure of a benchmark: printed as one line, and appended as one JSON line to the file named by
 * BENCH_RESULTS when `pnpm bench` runs the benchmark (bench/run.ts gathers them into bench/results.json).
 * A benchmark compares; it never fails on a figure.
 */
import { appendFileSync } from 'node:fs';

export interface Figure {
  /** Which benchmark: `bus`, `pipeline`, `gateway`, `forecast`, `anomaly`. */
  bench: string;
  name: string;
  value: number;
  unit: string;
  /** The figure's goal, from the issue that set it. */
  target?: { op: '>=' | '<='; value: number };
  /** What `value` is compared with, measured in the same run (a ratio is printed). */
  ceiling?: { name: string; value: number };
  /** Anything else worth keeping beside the figure (rounds, counts). */
  detail?: string;
}

const digits = (unit: string, x: number) =>
  Math.abs(x) >= 100 || unit === 'events/s' || unit === 'msg/s' ? 0 : Math.abs(x) >= 10 ? 1 : 3;
export const fmt = (x: number, d = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const ratio = (x: number) => (x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));
const show = (x: number, unit: string) => `${fmt(x, digits(unit, x))}${unit ? ` ${unit}` : ''}`;

/** How the value stands against its target: met, or missed by how much (relative to the target). */
export function verdict(value: number, target: NonNullable<Figure['target']>): string {
  const met = target.op === '>=' ? value >= target.value : value <= target.value;
  const by = Math.abs(value - target.value) / Math.abs(target.value || 1);
  return met ? 'met' : `missed by ${(by * 100).toFixed(0)} %`;
}

export function report(figure: Figure): void {
  const parts = [`${figure.bench} ${figure.name}: ${show(figure.value, figure.unit)}`];
  if (figure.ceiling) {
    parts.push(
      `${ratio(figure.value / figure.ceiling.value)} of ${figure.ceiling.name} (${show(figure.ceiling.value, figure.unit)})`,
    );
  }
  if (figure.target) {
    const op = figure.target.op === '>=' ? '≥' : '≤';
    parts.push(
      `target ${op} ${show(figure.target.value, figure.unit)}: ${verdict(figure.value, figure.target)}`,
    );
  }
  if (figure.detail) parts.push(figure.detail);
  console.log(parts.join(' — '));
  const file = process.env.BENCH_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify({ ...figure, at: new Date().toISOString() })}\n`);
}

/** The p-quantile of ascending `sorted` values (nearest rank). */
export const quantile = (sorted: readonly number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN;
