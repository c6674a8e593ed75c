/**
 * Gaussian-process regression with an ARD Matern-5/2 kernel (Rasmussen & Williams 2006, ch. 2 and 5):
 * k(x, x') = s2 (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r), r^2 = sum_i lambda_i (x_i - x'_i)^2, plus noise.
 * Hyperparameters (inverse squared lengthscales lambda, scale s2, noise) are fitted by maximising the
 * log marginal likelihood plus weak gamma priors (a type-II MAP estimate), with L-BFGS in logs. The MAP
 * is the mode in those coordinates: each lambda's prior enters as the density of log lambda, p(lambda)
 * lambda. Without that Jacobian the prior's mode sat at lambda = 2 (lengthscale 0.71); with it at 4
 * (lengthscale 0.5), the Gamma(2, 0.5) prior's mean. With 50 trials in 8-10 dims the prior dominates
 * the lengthscales, and the smoother fit had the higher regret on Styblinski-Tang (bench/RESULTS.md, Samplers).
 * Targets are standardised first; inputs are expected in the unit cube.
 */
import { cholInverse, cholSolve, cholesky, solveLower } from './linalg';
import { lbfgs } from './lbfgs';

export interface GpHyper {
  lambda: Float64Array;
  scale: number;
  noise: number;
}

/** The smallest noise variance (standardised units), keeping K well conditioned for noise-free objectives. */
export const MIN_NOISE = 1e-6;
const SQRT5 = Math.sqrt(5);

/** The Matern-5/2 correlation at squared scaled distance r2 (1 at 0). Exported for tests. */
export const matern = (r2: number): number => {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
};
/** d matern / d r^2. */
const maternD = (r2: number): number => {
  const r = Math.sqrt(r2);
  return (-5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
};

function r2(a: ArrayLike<number>, b: ArrayLike<number>, lambda: Float64Array): number {
  let s = 0;
  for (let i = 0; i < lambda.length; i++) s += lambda[i] * (a[i] - b[i]) ** 2;
  return s;
}

/**
 * Negative log posterior of the hyperparameters theta = [log lambda..., log s2, log(noise - MIN_NOISE)] and its
 * gradient: minus the log marginal likelihood (R&W eq. 5.8) minus the log priors. Exported for tests.
 */
export function negLogPosterior(x: Float64Array[], y: Float64Array, theta: Float64Array): { f: number; g: Float64Array } {
  const n = x.length;
  const d = theta.length - 2;
  const lambda = theta.slice(0, d).map(Math.exp);
  const scale = Math.exp(theta[d]);
  const eta = Math.exp(theta[d + 1]);
  const noise = MIN_NOISE + eta;
  const k = new Float64Array(n * n);
  const dm = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const q = r2(x[i], x[j], lambda);
      k[i * n + j] = k[j * n + i] = scale * matern(q) + (i === j ? noise : 0);
      dm[i * n + j] = dm[j * n + i] = scale * maternD(q);
    }
  }
  const l = cholesky(k, n);
  const g = new Float64Array(theta.length);
  if (!l) return { f: Infinity, g };
  const alpha = cholSolve(l, n, y);
  const inv = cholInverse(l, n);
  let f = 0.5 * alpha.reduce((s, a, i) => s + a * y[i], 0) + 0.5 * n * Math.log(2 * Math.PI);
  for (let i = 0; i < n; i++) f += Math.log(l[i * n + i]);
  // Priors: Gamma(2, 0.5) on each lambda as a density of log lambda (lambda^2 e^(-lambda/2), up to a
  // constant), Gamma(2, 1) on s2 and Gamma(1.1, 30) on the noise.
  f -= lambda.reduce((s, v) => s + 2 * Math.log(v) - 0.5 * v, 0) + Math.log(scale) - scale + 0.1 * Math.log(noise) - 30 * noise;
  // d f / d theta = -1/2 tr(W dK/dtheta) - d log prior / d theta, with W = alpha alpha^T - K^-1.
  let trScale = 0;
  let trNoise = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = alpha[i] * alpha[j] - inv[i * n + j];
      trScale += w * (k[i * n + j] - (i === j ? noise : 0));
      if (i === j) trNoise += w;
      const c = w * dm[i * n + j];
      if (c !== 0 && i !== j) for (let a = 0; a < d; a++) g[a] += c * (x[i][a] - x[j][a]) ** 2;
    }
  }
  for (let a = 0; a < d; a++) g[a] = -0.5 * g[a] * lambda[a] - (2 - 0.5 * lambda[a]);
  g[d] = -0.5 * trScale - (1 - scale);
  g[d + 1] = -0.5 * trNoise * eta - (0.1 / noise - 30) * eta;
  return { f, g };
}

/** A fit: the hyperparameters, and the log posterior density of `y` and them at the fit (-Infinity if it failed). */
export interface GpFit extends GpHyper {
  logPosterior: number;
}

/** Fits the hyperparameters to inputs `x` (unit cube) and standardised targets `y`. */
export function fitGp(x: Float64Array[], y: Float64Array): GpFit {
  const d = x[0].length;
  const theta0 = new Float64Array(d + 2);
  theta0[d + 1] = Math.log(1e-2);
  const { x: theta, f } = lbfgs((t) => negLogPosterior(x, y, t), theta0);
  const t = Number.isFinite(f) ? theta : theta0;
  return { lambda: t.slice(0, d).map(Math.exp), scale: Math.exp(t[d]), noise: MIN_NOISE + Math.exp(t[d + 1]), logPosterior: Number.isFinite(f) ? -f : -Infinity };
}

export interface Posterior {
  /** Predictive mean and variance of the latent function at `x`. */
  predict(x: ArrayLike<number>): { mean: number; variance: number };
}

/** The posterior given data and hyperparameters; undefined if the kernel matrix is not positive definite. */
export function posterior(x: Float64Array[], y: Float64Array, h: GpHyper): Posterior | undefined {
  const n = x.length;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) k[i * n + j] = k[j * n + i] = h.scale * matern(r2(x[i], x[j], h.lambda)) + (i === j ? h.noise : 0);
  }
  const l = cholesky(k, n);
  if (!l) return undefined;
  const alpha = cholSolve(l, n, y);
  return {
    predict(p) {
      const ks = x.map((xi) => h.scale * matern(r2(p, xi, h.lambda)));
      const v = solveLower(l, n, ks);
      const mean = ks.reduce((s, kv, i) => s + kv * alpha[i], 0);
      const variance = Math.max(1e-12, h.scale - v.reduce((s, a) => s + a * a, 0));
      return { mean, variance };
    },
  };
}
