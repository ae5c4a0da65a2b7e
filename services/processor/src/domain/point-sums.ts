/**
 * Sums of vectors placed at points in time, asked as "everything placed before t": sorted once, then a
 * binary search and a prefix sum answer each question in O(log n). A batch's changes to a group's windows
 * are such points (a stock report's jump in closing stock, an event's units sold), and every window figure
 * is a difference of two of these sums, so a batch updates any number of windows in one pass.
 */
export class PointSums {
  private readonly points: { at: number; v: number[] }[] = [];
  private times: number[] = [];
  private prefix: number[][];
  private sorted = true;

  constructor(readonly width: number) {
    this.prefix = [new Array<number>(width).fill(0)];
  }

  add(at: number, v: number[]): void {
    this.points.push({ at, v });
    this.sorted = false;
  }

  get size(): number {
    return this.points.length;
  }

  /** The earliest point (Infinity when none). */
  get first(): number {
    this.sort();
    return this.times[0] ?? Infinity;
  }

  /** Σ of the vectors placed strictly before `t`. */
  before(t: number): number[] {
    this.sort();
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return this.prefix[lo]!;
  }

  /** Σ of the vectors placed in [from, to). */
  between(from: number, to: number): number[] {
    const a = this.before(from);
    const b = this.before(to);
    return b.map((x, i) => x - a[i]!);
  }

  private sort(): void {
    if (this.sorted) return;
    this.points.sort((a, b) => a.at - b.at);
    this.times = this.points.map((p) => p.at);
    const zero = new Array<number>(this.width).fill(0);
    this.prefix = [zero];
    for (const p of this.points) this.prefix.push(this.prefix.at(-1)!.map((x, i) => x + p.v[i]!));
    this.sorted = true;
  }
}
