/**
 * Parameter importance by permutation (Breiman 2001): for each tree of a random forest fitted to
 * (configuration -> objective), the rise in out-of-bag squared error when one parameter's column is
 * shuffled among the out-of-bag rows, averaged over trees; negative rises count as 0 and the result is
 * normalised to sum 1. Columns: numeric values on the unit scale (logs for `log`), categorical values by
 * index, -1 where the parameter was inactive.
 */
import type { Rng } from '../../rng';
import { sameJson } from '../../spec/sweep-values';
import { toUnit, type Space } from '../space';
import type { Params } from '../types';
import { fitForest, predict } from './forest';

export const IMPORTANCE_METHOD = 'permutation importance on a random forest (Breiman 2001), out-of-bag';

/** One row per configuration, one column per parameter. */
export function columnsOf(space: Space, params: Params): number[] {
  return space.dims.map((d) => {
    const v = params[d.path];
    if (v === undefined) return -1;
    return d.type === 'categorical' ? d.values.findIndex((w) => sameJson(v, w)) : toUnit(d, v as number);
  });
}

/** Importance of each column of `x` for `y`; all zeros when fewer than 4 rows or no column matters. */
export function permutationImportance(x: number[][], y: number[], rng: Rng, repeats = 3): number[] {
  const d = x[0]?.length ?? 0;
  const rise = new Array<number>(d).fill(0);
  if (x.length < 4) return rise;
  const forest = fitForest(x, y, rng);
  const sse = (tree: (typeof forest)[number], rows: number[][], idx: number[]) => idx.reduce((s, r, k) => s + (predict(tree.root, rows[k]) - y[r]) ** 2, 0);
  for (const tree of forest) {
    if (tree.oob.length < 2) continue;
    const base = sse(tree, tree.oob.map((r) => x[r]), tree.oob);
    for (let f = 0; f < d; f++) {
      for (let rep = 0; rep < repeats; rep++) {
        const shuffled = rng.shuffle(tree.oob.map((r) => x[r][f]));
        const rows = tree.oob.map((r, k) => x[r].map((v, j) => (j === f ? shuffled[k] : v)));
        rise[f] += (sse(tree, rows, tree.oob) - base) / tree.oob.length / repeats;
      }
    }
  }
  const clipped = rise.map((v) => Math.max(0, v));
  const total = clipped.reduce((a, b) => a + b, 0);
  return total > 0 ? clipped.map((v) => v / total) : clipped;
}
