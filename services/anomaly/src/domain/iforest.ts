/**
 * Isolation forest (Liu, Ting & Zhou 2008) with scikit-learn's semantics: `trees` trees, each grown on its own
 * random sample of `sample` rows, height limit ⌈log2 sample⌉, each split on a random feature among those not
 * constant in the node, at a uniform value between its minimum and maximum there; score 2^(−E[h(x)] / c(ψ)),
 * unusual above the training scores' (1 − share) quantile (the paper's 0.5 marks a fifth of ordinary
 * inventory events: the tails of unimodal data score high).
 *
 * Written here because neither package does this. `isolation-forest` 0.0.9 draws each tree's sample and then
 * grows the tree on all the rows, and splits on features constant in a node (a value above such a feature's
 * only value is never isolated, one below it at once); `ml-isolation-forest` 0.1.0 never subsamples, splits
 * the same way and computes c(n) wrongly (2·ln(n−1) + γ instead of 2·(ln(n−1) + γ)).
 */

/**
 * Per event: log price against the recent median; stock change beyond sales and receipts (share of stock);
 * sales surprise for the time covered. Demand against forecast is not one: it exists only for days with a
 * forecast, and a feature present for some events and not others makes the forest isolate the difference
 * (the forecast-residual detector judges it, per complete day).
 */
export const FEATURES = ['price_ratio', 'quantity_change', 'sales_surprise'] as const;
export type Features = Record<(typeof FEATURES)[number], number>;

export interface ForestOptions {
  trees: number;
  sample: number;
  /** The share of the training rows above the threshold. */
  share: number;
  /** Uniform in [0, 1): sampling and splits (seeded, so that a refit on the same rows gives the same trees). */
  random: () => number;
}

type Node =
  { leaf: true; size: number } | { leaf: false; feature: number; value: number; left: Node; right: Node };

/** c(n): the average path length of an unsuccessful search in a binary search tree of n nodes. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649) - (2 * (n - 1)) / n;
}

function grow(rows: number[][], height: number, limit: number, random: () => number): Node {
  if (height >= limit || rows.length <= 1) return { leaf: true, size: rows.length };
  const ranges = rows[0]!.map((_, f) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of rows) {
      lo = Math.min(lo, r[f]!);
      hi = Math.max(hi, r[f]!);
    }
    return { f, lo, hi };
  });
  const varying = ranges.filter((r) => r.hi > r.lo);
  if (!varying.length) return { leaf: true, size: rows.length };
  const { f, lo, hi } = varying[Math.floor(random() * varying.length)]!;
  const value = lo + random() * (hi - lo);
  const left = rows.filter((r) => r[f]! < value);
  const right = rows.filter((r) => r[f]! >= value);
  return {
    leaf: false,
    feature: f,
    value,
    left: grow(left, height + 1, limit, random),
    right: grow(right, height + 1, limit, random),
  };
}

function pathLength(node: Node, x: number[], depth = 0): number {
  if (node.leaf) return depth + averagePathLength(node.size);
  return pathLength(x[node.feature]! < node.value ? node.left : node.right, x, depth + 1);
}

const QUANTILE_ROWS = 5000;

const vector = (x: Features) => FEATURES.map((f) => x[f]);

export class IsolationModel {
  private constructor(
    private readonly trees: Node[],
    private readonly norm: number,
    readonly threshold: number,
  ) {}

  static fit(rows: readonly Features[], options: ForestOptions): IsolationModel {
    const { random } = options;
    const size = Math.min(options.sample, rows.length);
    const limit = Math.ceil(Math.log2(Math.max(size, 2)));
    const data = rows.map(vector);
    const trees = Array.from({ length: options.trees }, () =>
      grow(sampleOf(data, size, random), 0, limit, random),
    );
    const model = new IsolationModel(trees, averagePathLength(size), 0.5);
    // the quantile from at most QUANTILE_ROWS rows, evenly spaced: as good a cut, at a quarter of the cost
    const step = Math.max(1, rows.length / QUANTILE_ROWS);
    const scores: number[] = [];
    for (let i = 0; i < rows.length; i += step) scores.push(model.score(rows[Math.floor(i)]!));
    scores.sort((a, b) => a - b);
    const cut = scores[Math.min(scores.length - 1, Math.floor(scores.length * (1 - options.share)))]!;
    return new IsolationModel(trees, model.norm, cut);
  }

  /** The paper's anomaly score in (0, 1]: near 1 isolated at once, 0.5 or less unremarkable. */
  score(x: Features): number {
    if (!this.trees.length || this.norm === 0) return 0;
    const v = vector(x);
    let total = 0;
    for (const tree of this.trees) total += pathLength(tree, v);
    return 2 ** -(total / this.trees.length / this.norm);
  }
}

/** `size` distinct rows drawn uniformly (a partial Fisher–Yates shuffle of the indices). */
function sampleOf<T>(rows: readonly T[], size: number, random: () => number): T[] {
  const index = rows.map((_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (index.length - i));
    [index[i], index[j]] = [index[j]!, index[i]!];
  }
  return index.slice(0, size).map((i) => rows[i]!);
}
