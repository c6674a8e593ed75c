/**
 * Weight sharing by k-means (Deep Compression, Han et al. 2016, arXiv:1510.00149, Sec. 3): the weights of
 * a layer are clustered in one dimension (Lloyd's algorithm) and each is replaced by its cluster's
 * centroid, so a layer stores k centroids and a log2(k)-bit index per weight. Centroid initialisation as
 * in the paper: `linear` (evenly spaced over [min, max], the one it found best, since it keeps the large
 * weights), `density` (evenly spaced on the CDF), `random` (Forgy: k distinct weights drawn at random).
 */
import { createRng } from '../../core/rng';

export type CentroidInit = 'linear' | 'density' | 'random';

export interface KMeansConfig {
  clusters: number;
  init: CentroidInit;
  /** Lloyd iterations at most (it stops earlier once no assignment changes). */
  iterations: number;
  /** For `random` initialisation. */
  seed: number;
}

export interface KMeansResult {
  /** Ascending; float32 values (the weights the layer gets). */
  centroids: Float32Array;
  /** The cluster of each value. */
  assign: Uint16Array;
}

function initial(sorted: Float64Array, c: KMeansConfig): number[] {
  const n = sorted.length;
  const k = c.clusters;
  const [lo, hi] = [sorted[0], sorted[n - 1]];
  if (c.init === 'linear') return Array.from({ length: k }, (_, j) => lo + ((hi - lo) * j) / (k - 1));
  if (c.init === 'density') return Array.from({ length: k }, (_, j) => sorted[Math.round(((n - 1) * j) / (k - 1))]);
  const distinct = [...new Set(sorted)];
  createRng(c.seed).shuffle(distinct);
  return distinct.slice(0, k);
}

/** Index of the centroid nearest to v among ascending `cs` (ties to the lower one). */
function nearest(cs: Float64Array, v: number): number {
  let lo = 0;
  let hi = cs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v - cs[mid] <= cs[mid + 1] - v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** k-means of `values` (at least one) into at most `c.clusters` clusters; duplicate initial centroids are merged. */
export function kmeans1d(values: Float32Array, c: KMeansConfig): KMeansResult {
  const sorted = Float64Array.from(values).sort();
  const cs = Float64Array.from(new Set(initial(sorted, c))).sort();
  const assign = new Uint16Array(values.length);
  const sum = new Float64Array(cs.length);
  const count = new Float64Array(cs.length);
  for (let it = 0; it < c.iterations; it++) {
    let changed = it === 0;
    sum.fill(0);
    count.fill(0);
    for (let i = 0; i < values.length; i++) {
      const j = nearest(cs, values[i]);
      if (j !== assign[i]) (changed = true), (assign[i] = j);
      sum[j] += values[i];
      count[j]++;
    }
    if (!changed) break;
    // An empty cluster keeps its centroid; the order stays ascending, since each mean lies between its neighbours' boundaries.
    for (let j = 0; j < cs.length; j++) if (count[j] > 0) cs[j] = sum[j] / count[j];
  }
  return { centroids: Float32Array.from(cs), assign };
}
