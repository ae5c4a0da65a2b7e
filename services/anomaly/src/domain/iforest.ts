import { createRequire } from 'node:module';
import type { IsolationForest as Forest } from 'isolation-forest';

/**
 * Isolation forest (Liu, Ting & Zhou 2008) with scikit-learn's semantics: `trees` trees, each grown on its
 * own random sample of `sample` rows, height limit ⌈log2 sample⌉; score 2^(−E[h(x)] / c(sample)), anomaly
 * above 0.5, or above the training scores' (1 − contamination) quantile when a contamination is given.
 *
 * The trees and path lengths are the `isolation-forest` package's. Its own `fit` draws a subsample and then
 * grows every tree on all the rows (a bug: trees of 20,000 rows, scores skewed low and slow fits), so each
 * tree here is a one-tree forest fitted on its own sample. `ml-isolation-forest` was measured slower to score
 * and separating less (../shared/DEPENDENCIES.md).
 */
const require = createRequire(import.meta.url);
const { IsolationForest } = require('isolation-forest') as { IsolationForest: typeof Forest };
const { averagePathLength } = require('isolation-forest/dist/iTree') as {
  averagePathLength: (n: number) => number;
};

export const FEATURES = ['price_ratio', 'quantity_change', 'sales_ratio', 'demand_vs_forecast'] as const;
export type Features = Record<(typeof FEATURES)[number], number>;

export interface ForestOptions {
  trees: number;
  sample: number;
  /** 0: none, the paper's 0.5 threshold. */
  contamination: number;
  /** Uniform in [0, 1); the sampling of rows per tree. */
  random?: () => number;
}

export class IsolationModel {
  private constructor(
    private readonly trees: Forest[],
    private readonly norm: number,
    readonly threshold: number,
  ) {}

  static fit(rows: readonly Features[], options: ForestOptions): IsolationModel {
    const random = options.random ?? Math.random;
    const size = Math.min(options.sample, rows.length);
    const trees = Array.from({ length: options.trees }, () => {
      const tree = new IsolationForest(1, size);
      tree.fit(sampleOf(rows, size, random));
      return tree;
    });
    const model = new IsolationModel(trees, averagePathLength(size), 0.5);
    if (!options.contamination) return model;
    const scores = rows.map((r) => model.score(r)).sort((a, b) => a - b);
    const cut = scores[Math.min(scores.length - 1, Math.floor(scores.length * (1 - options.contamination)))]!;
    return new IsolationModel(trees, model.norm, cut);
  }

  /** The paper's anomaly score in (0, 1]: near 1 isolated at once, 0.5 or less unremarkable. */
  score(x: Features): number {
    let total = 0;
    for (const { trees } of this.trees) total += trees[0]!.pathLength(x, trees[0]!.getRootNode(), 0);
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
