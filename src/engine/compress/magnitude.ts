/**
 * Magnitude pruning (Han et al. 2015, arXiv:1506.02626; the pruning of Deep Compression, arXiv:1510.00149,
 * and of TF Model Optimization): the weights of smallest |w| are set to zero. A mask holds 1 for a kept
 * weight, 0 for a pruned one.
 *
 * Counts are exact: a layer pruned to sparsity s loses exactly round(s * n) of its n weights (Math.round,
 * halves up); with `scope: 'global'` the layers without their own target lose round(s * N) of their N
 * weights together, the smallest |w| across them. Ties are broken by layer order, then index. Weights
 * pruned before (`previous` masks) go first, so masks only grow as sparsity rises.
 */
export interface MagnitudeConfig {
  /** Target sparsity of every layer without its own, in [0, 1). */
  sparsity: number;
  /** `layer`: each layer loses its own share; `global`: one threshold across the layers. */
  scope: 'layer' | 'global';
  /** Per-layer targets (by position), overriding `sparsity` and taking the layer out of a global pool. */
  layers?: (number | undefined)[];
}

/** How many of `n` weights sparsity `s` prunes: round(s * n). */
export const prunedCount = (s: number, n: number): number => Math.round(s * n);

/** Scores: |w|, or -1 for a weight already pruned (so it is pruned again first). */
function scores(w: Float32Array, previous?: Uint8Array): Float32Array {
  const out = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = previous && previous[i] === 0 ? -1 : Math.abs(w[i]);
  return out;
}

/** Masks that prune the `k` lowest of the score arrays together (ties by array order, then index). */
function pruneLowest(all: Float32Array[], k: number): Uint8Array[] {
  const masks = all.map((s) => new Uint8Array(s.length).fill(1));
  if (k <= 0) return masks;
  const total = all.reduce((a, s) => a + s.length, 0);
  const sorted = new Float32Array(total);
  let o = 0;
  for (const s of all) (sorted.set(s, o), (o += s.length));
  sorted.sort();
  const threshold = sorted[Math.min(k, total) - 1];
  let below = 0;
  for (const s of all) for (let i = 0; i < s.length; i++) if (s[i] < threshold) below++;
  let ties = k - below;
  all.forEach((s, j) => {
    for (let i = 0; i < s.length; i++) {
      if (s[i] < threshold) masks[j][i] = 0;
      else if (s[i] === threshold && ties > 0) (masks[j][i] = 0), ties--;
    }
  });
  return masks;
}

/**
 * Masks for kernels `weights` (one Float32Array per layer) at the targets of `c`. `previous` masks, when
 * given, are kept: a weight they pruned stays pruned.
 */
export function magnitudeMasks(weights: Float32Array[], c: MagnitudeConfig, previous?: (Uint8Array | undefined)[]): Uint8Array[] {
  const masks: Uint8Array[] = new Array(weights.length);
  const pooled: number[] = [];
  weights.forEach((w, j) => {
    const own = c.layers?.[j];
    if (c.scope === 'global' && own === undefined) return void pooled.push(j);
    masks[j] = pruneLowest([scores(w, previous?.[j])], prunedCount(own ?? c.sparsity, w.length))[0];
  });
  if (pooled.length) {
    const n = pooled.reduce((a, j) => a + weights[j].length, 0);
    const got = pruneLowest(pooled.map((j) => scores(weights[j], previous?.[j])), prunedCount(c.sparsity, n));
    pooled.forEach((j, i) => (masks[j] = got[i]));
  }
  return masks;
}

/** Zeros in `mask`. */
export const zerosIn = (mask: Uint8Array): number => mask.reduce((a, m) => a + (m === 0 ? 1 : 0), 0);
