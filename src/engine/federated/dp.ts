import type { Rng } from '../../core/rng';

/**
 * DP-FedAvg's aggregate (McMahan, Ramage, Talwar & Zhang 2018, "Learning differentially private recurrent
 * language models", arXiv:1710.06963): each client's update clipped to L2 norm at most `clip` (S), the
 * clipped updates summed, Gaussian noise N(0, (noise * S)^2) added to each coordinate of the sum, and
 * the result divided by `expected`, the expected number of clients per round (q K, their fixed-denominator
 * estimator, so a client's presence changes the sum by at most S and nothing else). Clients count once
 * each: weighting by sample counts would change the sensitivity. With clients sampled independently with
 * probability q, this is the Poisson-subsampled Gaussian mechanism that `core/federated/accountant.ts`
 * accounts for, with noise multiplier `noise`.
 */
export interface DpConfig {
  clip: number;
  noise: number;
  expected: number;
}

export const l2Norm = (u: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * u[i];
  return Math.sqrt(s);
};

/** `u` scaled to L2 norm at most `clip` (a copy; `u` itself when it is already within). */
export function clipToNorm(u: Float32Array, clip: number): Float32Array {
  const norm = l2Norm(u);
  if (norm <= clip) return u;
  const scale = clip / norm;
  return u.map((v) => v * scale);
}

/** The noised mean of clipped updates; `rng` draws the noise. `updates` may be empty (noise only). */
export function dpMean(updates: Float32Array[], d: number, c: DpConfig, rng: Rng): Float32Array {
  const sum = new Float64Array(d);
  for (const u of updates) {
    if (u.length !== d) throw new Error(`dpMean: an update of ${u.length} values for ${d} weights`);
    const clipped = clipToNorm(u, c.clip);
    for (let i = 0; i < d; i++) sum[i] += clipped[i];
  }
  const sd = c.noise * c.clip;
  const out = new Float32Array(d);
  for (let i = 0; i < d; i++) out[i] = (sum[i] + (sd > 0 ? sd * rng.normal() : 0)) / c.expected;
  return out;
}
