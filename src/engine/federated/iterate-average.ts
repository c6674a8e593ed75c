/**
 * Averaging of the server's iterates (`federated.averageRounds`): the model a federated run scores and
 * saves after a round is the mean of the global models of its last `window` rounds, while the clients go
 * on training from the latest one. This is stochastic weight averaging (Izmailov et al. 2018,
 * arXiv:1803.05407) applied on the server, as Caldarola et al. 2022 (arXiv:2203.11834) do for federated
 * learning: on non-IID data each round's global model leans towards the few clients sampled in it, and
 * the mean over rounds cancels much of that lean. A window of 1 is the latest global model itself.
 */
export interface IterateAverageConfig {
  /** How many rounds' global models the mean takes, the latest included. */
  window: number;
}

/** The mean, element by element, of equal-length weight vectors (summed in float64, in their order). */
export function meanOf(vectors: readonly Float32Array[]): Float32Array {
  if (!vectors.length) throw new Error('meanOf: no vectors');
  const d = vectors[0].length;
  if (vectors.some((v) => v.length !== d)) throw new Error(`meanOf: vectors of ${vectors.map((v) => v.length).join(', ')} weights`);
  const out = new Float32Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (const v of vectors) s += v[i];
    out[i] = s / vectors.length;
  }
  return out;
}

/** The last `window` global models, and their mean. */
export class IterateAverage {
  private readonly kept: Float32Array[] = [];

  constructor(private readonly c: IterateAverageConfig) {
    if (!Number.isInteger(c.window) || c.window < 1) throw new Error(`IterateAverage: window ${c.window}, expected an integer >= 1`);
  }

  /** Keeps a copy of a round's global model; returns the mean of the last `window` kept, the round's own when it is 1. */
  push(weights: Float32Array): Float32Array {
    if (this.c.window === 1) return weights;
    this.kept.push(Float32Array.from(weights));
    if (this.kept.length > this.c.window) this.kept.shift();
    return meanOf(this.kept);
  }
}
