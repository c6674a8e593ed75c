import type { ClassificationData } from '../../core/spec/types';
import { createRng, derive, type Rng } from '../../core/rng';
import type { Part } from './types';

/**
 * Distinct vertices of the hypercube [-sep, sep]^k, picked at random: `count` sign vectors, rejecting
 * repeats (count <= 2^k is checked by the caller, so this ends).
 */
function hypercubeVertices(count: number, k: number, sep: number, rng: Rng): Float64Array[] {
  const seen = new Set<string>();
  const out: Float64Array[] = [];
  while (out.length < count) {
    const signs = Array.from({ length: k }, () => (rng.next() < 0.5 ? -1 : 1));
    const key = signs.join('');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(Float64Array.from(signs, (s) => s * sep));
  }
  return out;
}

/**
 * Simplified `make_classification` (scikit-learn; Guyon 2003, NIPS feature-selection challenge):
 * `classes` Gaussian clusters centred on distinct vertices of a hypercube of side 2 * classSep in the
 * first `informative` dimensions; each point is its centroid + N(0, 1) there, and the remaining
 * features are pure N(0, 1) noise. Classes are balanced (sizes differ by at most one) and rows are
 * ordered by class: the split shuffles them. y holds class indices as floats.
 */
export function makeClassification(
  spec: Pick<ClassificationData, 'samples' | 'features' | 'classes' | 'classSep'> & { informative?: number },
  seed: number,
): Part {
  const { samples: n, features: d, classes, classSep } = spec;
  if (!Number.isInteger(n) || n < 1) throw new Error(`classification: samples must be a positive integer, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new Error(`classification: features must be a positive integer, got ${d}`);
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`classification: classes must be an integer >= 2, got ${classes}`);
  const k = Math.min(spec.informative ?? d, d);
  if (k < 1 || classes > 2 ** k) {
    throw new Error(`classification: ${classes} classes need at least ${Math.ceil(Math.log2(classes))} informative features (the hypercube has 2^informative vertices), got ${k}`);
  }

  const centroids = hypercubeVertices(classes, k, classSep, createRng(derive(seed, 'classification', 'centroids')));
  const rng = createRng(derive(seed, 'classification', 'points'));
  const x = new Float32Array(n * d);
  const y = new Float32Array(n);
  let row = 0;
  for (let c = 0; c < classes; c++) {
    const size = Math.floor(n / classes) + (c < n % classes ? 1 : 0);
    for (let i = 0; i < size; i++, row++) {
      y[row] = c;
      for (let j = 0; j < d; j++) x[row * d + j] = (j < k ? centroids[c][j] : 0) + rng.normal();
    }
  }
  return { x, y, n };
}
