// Closed-form test functions for samplers (no training) and a loop that minimises one with a sampler.
import { createRng, derive } from '../../src/core/rng';
import { createSpace, type History, type Params, type Sampler, type Space, type Trial } from '../../src/core/sweep';
import type { SweepParameter } from '../../src/core/spec/sweep-types';

/** Branin-Hoo on [-5, 10] x [0, 15]; global minimum 0.397887 at three points. */
export const BRANIN_MIN = 0.397887;
export const branin = (x1: number, x2: number): number => {
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
};
export const braninSpace = (): Space => createSpace({
  x1: { type: 'float', min: -5, max: 10, log: false },
  x2: { type: 'float', min: 0, max: 15, log: false },
});
export const braninOf = (p: Params) => branin(p.x1 as number, p.x2 as number);

/** Hartmann's family on [0, 1]^d: -sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2), with its constants. */
const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const hartmann = (a: number[][], p: number[][]) => (x: number[]): number =>
  -H_ALPHA.reduce((s, al, i) => s + al * Math.exp(-a[i].reduce((e, aij, j) => e + aij * (x[j] - p[i][j] * 1e-4) ** 2, 0)), 0);

/** Hartmann-3; global minimum -3.86278. */
export const HARTMANN3_MIN = -3.86278;
export const hartmann3 = hartmann(
  [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]],
  [[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]],
);

/** Hartmann-6; global minimum -3.32237. */
export const HARTMANN6_MIN = -3.32237;
export const hartmann6 = hartmann(
  [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]],
  [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]],
);
export const hartmannSpace = (): Space =>
  createSpace(Object.fromEntries(Array.from({ length: 6 }, (_, i): [string, SweepParameter] => [`x${i}`, { type: 'float', min: 0, max: 1, log: false }])));
export const hartmannOf = (p: Params) => hartmann6(Array.from({ length: 6 }, (_, i) => p[`x${i}`] as number));

/** Runs `n` sequential trials of `sampler` on `f` (minimised); returns the trials in order. */
export function minimize(sampler: Sampler, space: Space, f: (p: Params) => number, n: number, seed: number): Trial[] {
  const trials: Trial[] = [];
  for (let i = 0; i < n; i++) {
    const history: History = { directions: ['minimize'], trials };
    const params = sampler.suggest(space, history, createRng(derive(seed, 'suggest', i)));
    if (!params) break;
    trials.push({ number: i, params, state: 'completed', values: [f(params)], intermediate: {} });
  }
  return trials;
}

export const bestOf = (trials: Trial[]): number => Math.min(...trials.map((t) => t.values![0]));

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
