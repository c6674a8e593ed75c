/**
 * A regression forest (Breiman 2001, "Random forests", Machine Learning 45): CART trees grown on
 * bootstrap samples, each split the one that most reduces the squared error over all features (scikit-
 * learn's default for regression), leaves of at least `minLeaf` rows. Each tree remembers its
 * out-of-bag rows for unbiased error estimates.
 */
import type { Rng } from '../../rng';

type Tree = { value: number } | { feature: number; threshold: number; left: Tree; right: Tree };

export interface FittedTree {
  root: Tree;
  /** Rows not drawn into this tree's bootstrap sample. */
  oob: number[];
}

const mean = (y: readonly number[], rows: readonly number[]): number => rows.reduce((s, r) => s + y[r], 0) / rows.length;

/** The split of `rows` with the least total squared error, or undefined when none leaves minLeaf rows each side. */
function bestSplit(x: readonly number[][], y: readonly number[], rows: number[], minLeaf: number) {
  let best: { feature: number; threshold: number; sse: number } | undefined;
  for (let f = 0; f < x[0].length; f++) {
    const sorted = [...rows].sort((a, b) => x[a][f] - x[b][f]);
    const total = sorted.reduce((s, r) => s + y[r], 0);
    const totalSq = sorted.reduce((s, r) => s + y[r] * y[r], 0);
    let [sum, sq] = [0, 0];
    for (let i = 0; i < sorted.length - 1; i++) {
      sum += y[sorted[i]];
      sq += y[sorted[i]] ** 2;
      const [a, b] = [x[sorted[i]][f], x[sorted[i + 1]][f]];
      const nl = i + 1;
      const nr = sorted.length - nl;
      if (a === b || nl < minLeaf || nr < minLeaf) continue;
      const sse = sq - (sum * sum) / nl + (totalSq - sq) - ((total - sum) ** 2) / nr;
      if (!best || sse < best.sse) best = { feature: f, threshold: (a + b) / 2, sse };
    }
  }
  return best;
}

function grow(x: readonly number[][], y: readonly number[], rows: number[], minLeaf: number): Tree {
  const split = rows.length >= 2 * minLeaf ? bestSplit(x, y, rows, minLeaf) : undefined;
  if (!split) return { value: mean(y, rows) };
  const left = rows.filter((r) => x[r][split.feature] <= split.threshold);
  const right = rows.filter((r) => x[r][split.feature] > split.threshold);
  return { feature: split.feature, threshold: split.threshold, left: grow(x, y, left, minLeaf), right: grow(x, y, right, minLeaf) };
}

export function predict(tree: Tree, row: readonly number[]): number {
  let node = tree;
  while (!('value' in node)) node = row[node.feature] <= node.threshold ? node.left : node.right;
  return node.value;
}

/** Grows `trees` trees on bootstrap samples of the rows of `x` (n x d) and targets `y`. */
export function fitForest(x: readonly number[][], y: readonly number[], rng: Rng, trees = 64, minLeaf = 2): FittedTree[] {
  const n = x.length;
  return Array.from({ length: trees }, () => {
    const drawn = Array.from({ length: n }, () => rng.int(n));
    const inBag = new Set(drawn);
    return { root: grow(x, y, drawn, minLeaf), oob: Array.from({ length: n }, (_, i) => i).filter((i) => !inBag.has(i)) };
  });
}
