// Known answers for the GP sampler's maths: Cholesky (L L^T = A, the solves, refusal of matrices that are not
// positive definite), L-BFGS (a quadratic's optimum A^-1 b, Rosenbrock's (1, 1)), and the Gaussian process
// (Rasmussen & Williams 2006: eq. 2.25-2.26 posterior, eq. 4.17 Matern-5/2, eq. 5.8 log marginal likelihood).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng';
import { cholesky, cholInverse, cholSolve, solveLower, solveUpperT } from '../../src/core/sweep/math/linalg';
import { lbfgs } from '../../src/core/sweep/math/lbfgs';
import { fitGp, matern, MIN_NOISE, negLogPosterior, posterior, type GpHyper } from '../../src/core/sweep/math/gp';

const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const mat = (rows: number[][]) => Float64Array.from(rows.flat());
function matmul(a: Float64Array, b: Float64Array, n: number, bT = false): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) c[i * n + j] += a[i * n + k] * (bT ? b[j * n + k] : b[k * n + j]);
  return c;
}
const matvec = (a: Float64Array, x: ArrayLike<number>, n: number) => Array.from({ length: n }, (_, i) => Array.from(x).reduce((s, v, k) => s + a[i * n + k] * v, 0));
/** A random symmetric positive-definite n x n matrix B B^T + n I. */
function randomSpd(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const b = Float64Array.from({ length: n * n }, () => rng.next() * 2 - 1);
  const a = matmul(b, b, n, true);
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  return a;
}

test('cholesky: the textbook 3x3 factor exactly, and L L^T = A for a random 6x6', () => {
  // A = L L^T with L = [[2, 0, 0], [6, 1, 0], [-8, 5, 3]].
  const l = cholesky(mat([[4, 12, -16], [12, 37, -43], [-16, -43, 98]]), 3)!;
  assert.deepEqual(Array.from(l), [2, 0, 0, 6, 1, 0, -8, 5, 3]);
  const n = 6;
  const a = randomSpd(n, 11);
  const f = cholesky(a, n)!;
  for (let i = 0; i < n; i++) {
    assert.ok(f[i * n + i] > 0, 'positive diagonal');
    for (let j = i + 1; j < n; j++) assert.equal(f[i * n + j], 0, 'lower triangular');
  }
  matmul(f, f, n, true).forEach((v, k) => near(v, a[k], 1e-12, `L L^T [${k}]`));
});

test('cholesky refuses matrices that are not positive definite', () => {
  assert.equal(cholesky(mat([[1, 2], [2, 1]]), 2), undefined, 'indefinite');
  assert.equal(cholesky(mat([[1, 1], [1, 1]]), 2), undefined, 'singular (semi-definite)');
  assert.equal(cholesky(mat([[-1, 0], [0, 1]]), 2), undefined, 'negative diagonal');
  assert.equal(cholesky(mat([[1, 0], [0, NaN]]), 2), undefined, 'NaN');
});

test('the solves: L x = b, L^T x = b, A x = b, and A A^-1 = I', () => {
  const n = 5;
  const a = randomSpd(n, 3);
  const l = cholesky(a, n)!;
  const b = [1, -2, 0.5, 3, -1];
  matvec(l, solveLower(l, n, b), n).forEach((v, i) => near(v, b[i], 1e-12, `L x [${i}]`));
  const lt = Float64Array.from({ length: n * n }, (_, k) => l[(k % n) * n + Math.floor(k / n)]);
  matvec(lt, solveUpperT(l, n, b), n).forEach((v, i) => near(v, b[i], 1e-12, `L^T x [${i}]`));
  matvec(a, cholSolve(l, n, b), n).forEach((v, i) => near(v, b[i], 1e-12, `A x [${i}]`));
  matmul(a, cholInverse(l, n), n).forEach((v, k) => near(v, k % (n + 1) === 0 ? 1 : 0, 1e-12, `A A^-1 [${k}]`));
  // A 2x2 by hand: [[4, 2], [2, 3]]^-1 = [[3, -2], [-2, 4]] / 8.
  assert.deepEqual(Array.from(cholInverse(cholesky(mat([[4, 2], [2, 3]]), 2)!, 2)).map((v) => v * 8).map((v) => Math.round(v * 1e9) / 1e9), [3, -2, -2, 4]);
});

test('lbfgs minimises a quadratic to A^-1 b', () => {
  const n = 4;
  const a = randomSpd(n, 5);
  const b = Float64Array.from([1, -1, 2, 0.5]);
  const fg = (x: Float64Array) => {
    const ax = matvec(a, x, n);
    return { f: 0.5 * ax.reduce((s, v, i) => s + v * x[i], 0) - b.reduce((s, v, i) => s + v * x[i], 0), g: Float64Array.from(ax.map((v, i) => v - b[i])) };
  };
  const { x, f } = lbfgs(fg, new Float64Array(n), { maxIter: 100, memory: 8, gradTol: 1e-10 });
  const opt = cholSolve(cholesky(a, n)!, n, b);
  // It stops when f changes by less than 1e-9 relative (as scipy's ftol), so x is known to about sqrt of that.
  x.forEach((v, i) => near(v, opt[i], 1e-6, `x[${i}]`));
  near(f, -0.5 * b.reduce((s, v, i) => s + v * opt[i], 0), 1e-12, 'f* = -b^T A^-1 b / 2');
});

test('lbfgs finds Rosenbrock\'s minimum (1, 1) from (-1.2, 1)', () => {
  const fg = (x: Float64Array) => {
    const [p, q] = x;
    return { f: 100 * (q - p * p) ** 2 + (1 - p) ** 2, g: Float64Array.from([-400 * p * (q - p * p) - 2 * (1 - p), 200 * (q - p * p)]) };
  };
  const { x, f } = lbfgs(fg, Float64Array.from([-1.2, 1]), { maxIter: 500, memory: 8, gradTol: 1e-9 });
  near(x[0], 1, 1e-4, 'x');
  near(x[1], 1, 1e-4, 'y');
  assert.ok(f < 1e-8, `f = ${f}`);
});

test('lbfgs steps back from infinite values, and returns a non-finite start as it is', () => {
  // (x - 2)^2 defined only below 2.5: the first steps overshoot into the infinite region.
  const fg = (x: Float64Array) => ({ f: x[0] < 2.5 ? (x[0] - 2) ** 2 : Infinity, g: Float64Array.from([2 * (x[0] - 2)]) });
  near(lbfgs(fg, Float64Array.from([-10]), { maxIter: 100, memory: 5, gradTol: 1e-8 }).x[0], 2, 1e-6, 'x');
  const start = Float64Array.from([3]);
  assert.deepEqual(lbfgs(fg, start), { x: start, f: Infinity });
});

test('Matern-5/2: (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r) at known distances', () => {
  assert.equal(matern(0), 1);
  near(matern(0.25), 0.828649142418125, 1e-14, 'r = 0.5');
  near(matern(1), 0.52399410883182, 1e-14, 'r = 1');
  near(matern(4), 0.138660219138504, 1e-14, 'r = 2');
  assert.ok(matern(400) < 1e-8, 'r = 20: no correlation left');
});

test('GP with one point: the posterior mean is s2 k(r) y / (s2 + noise), so it traces the kernel', () => {
  const h: GpHyper = { lambda: Float64Array.from([4]), scale: 2, noise: 0.5 };
  const gp = posterior([Float64Array.from([0.2])], Float64Array.from([1.5]), h)!;
  for (const d of [0, 0.25, 0.5, 1]) {
    const k = 2 * matern(4 * d * d);
    const { mean, variance } = gp.predict([0.2 + d]);
    near(mean, (k * 1.5) / 2.5, 1e-12, `mean at distance ${d}`);
    near(variance, 2 - (k * k) / 2.5, 1e-12, `variance at distance ${d}`);
  }
});

test('GP posterior: interpolates noiseless points with variance ~0 there, and is the prior far from them', () => {
  const x = [[0.1, 0.2], [0.5, 0.9], [0.8, 0.4], [0.3, 0.6]].map((p) => Float64Array.from(p));
  const y = Float64Array.from([0.5, -1.2, 2, 0.1]);
  const h: GpHyper = { lambda: Float64Array.from([10, 10]), scale: 1.5, noise: 1e-10 };
  const gp = posterior(x, y, h)!;
  x.forEach((p, i) => {
    const { mean, variance } = gp.predict(p);
    near(mean, y[i], 1e-6, `mean at point ${i}`);
    assert.ok(variance < 1e-8, `variance at point ${i}: ${variance}`);
  });
  const far = gp.predict([9, -9]);
  near(far.mean, 0, 1e-12, 'mean far away');
  near(far.variance, 1.5, 1e-12, 'variance far away');
  const between = gp.predict([0.45, 0.5]).variance;
  assert.ok(between > 1e-3 && between < 1.5, `variance between the points: ${between}`);
  // Two identical inputs with no noise make K singular: no posterior.
  assert.equal(posterior([x[0], x[0]], Float64Array.from([1, 1]), { lambda: Float64Array.from([1, 1]), scale: 1, noise: 0 }), undefined);
});

test('negLogPosterior on 2 points equals the log marginal likelihood and the gamma priors (lambda\'s as a density of log lambda) worked out by hand', () => {
  const x = [Float64Array.from([0]), Float64Array.from([0.5])];
  const y = Float64Array.from([1, -1]);
  const [lambda, s2, eta] = [4, 1.5, 0.1];
  const noise = MIN_NOISE + eta;
  // r^2 = 4 * 0.25 = 1: K = [[s2 + noise, s2 m(1)], [s2 m(1), s2 + noise]].
  const a = s2 + noise;
  const c = s2 * ((1 + Math.sqrt(5) + 5 / 3) * Math.exp(-Math.sqrt(5)));
  const det = a * a - c * c;
  const quad = (2 * (a + c)) / det; // y^T K^-1 y for y = [1, -1]
  const nll = 0.5 * quad + 0.5 * Math.log(det) + Math.log(2 * Math.PI);
  const logPrior = 2 * Math.log(lambda) - 0.5 * lambda + Math.log(s2) - s2 + 0.1 * Math.log(noise) - 30 * noise;
  const { f } = negLogPosterior(x, y, Float64Array.from([Math.log(lambda), Math.log(s2), Math.log(eta)]));
  near(f, nll - logPrior, 1e-12, 'f');
});

test('fitGp on one point: the likelihood ignores lambda, so each lambda lands on its prior\'s mode in log lambda, 4 (lengthscale 0.5)', () => {
  // One observation is at distance 0 from itself whatever the lengthscales: only lambda^2 e^(-lambda/2) pulls on them.
  const h = fitGp([Float64Array.from([0.3, 0.8, 0.5])], Float64Array.from([0]));
  h.lambda.forEach((l, i) => near(l, 4, 1e-4, `lambda[${i}]`));
});

test('negLogPosterior\'s gradient matches central differences', () => {
  const rng = createRng(2);
  const x = Array.from({ length: 6 }, () => Float64Array.from([rng.next(), rng.next(), rng.next()]));
  const y = Float64Array.from(x.map((p) => Math.sin(4 * p[0]) + p[1] * p[1] - 0.5 * p[2]));
  for (const theta of [[0, 0, 0, 0, Math.log(1e-2)], [1, -0.5, 0.3, -0.2, -3]].map((t) => Float64Array.from(t))) {
    const { g } = negLogPosterior(x, y, theta);
    theta.forEach((_, k) => {
      const h = 1e-5;
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[k] += h;
      down[k] -= h;
      const numeric = (negLogPosterior(x, y, up).f - negLogPosterior(x, y, down).f) / (2 * h);
      near(g[k], numeric, 1e-5 * Math.max(1, Math.abs(numeric)), `d f / d theta[${k}] at ${Array.from(theta)}`);
    });
  }
});

test('fitGp ends at a local minimum of negLogPosterior no worse than its start', () => {
  const rng = createRng(4);
  const x = Array.from({ length: 8 }, () => Float64Array.from([rng.next(), rng.next()]));
  const raw = x.map((p) => Math.sin(6 * p[0]) + 0.3 * p[1]);
  const mean = raw.reduce((s, v) => s + v, 0) / raw.length;
  const sd = Math.sqrt(raw.reduce((s, v) => s + (v - mean) ** 2, 0) / raw.length);
  const y = Float64Array.from(raw.map((v) => (v - mean) / sd));
  const h = fitGp(x, y);
  const theta = Float64Array.from([...Array.from(h.lambda).map(Math.log), Math.log(h.scale), Math.log(h.noise - MIN_NOISE)]);
  const f = negLogPosterior(x, y, theta).f;
  assert.ok(f <= negLogPosterior(x, y, Float64Array.from([0, 0, 0, Math.log(1e-2)])).f, 'no worse than the start');
  theta.forEach((_, k) => {
    for (const d of [-0.05, 0.05]) {
      const t = Float64Array.from(theta);
      t[k] += d;
      assert.ok(f <= negLogPosterior(x, y, t).f + 1e-9, `theta[${k}] ${d > 0 ? '+' : '-'} 0.05 is not lower`);
    }
  });
  // The fitted GP predicts an unseen point of the function better than the prior mean (0).
  const gp = posterior(x, y, h)!;
  const p = [0.37, 0.61];
  const truth = (Math.sin(6 * p[0]) + 0.3 * p[1] - mean) / sd;
  assert.ok(Math.abs(gp.predict(p).mean - truth) < Math.abs(truth) / 2, `${gp.predict(p).mean} vs ${truth}`);
});
