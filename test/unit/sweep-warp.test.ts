// The GP's output warp (src/core/sweep/math/warp.ts): the log density it scores a warp by, known for the
// identity; its invariance to the losses' units; and the warp it picks for losses spanning orders of magnitude
// against smooth ones of small range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng';
import { MIN_NOISE, negLogPosterior } from '../../src/core/sweep/math/gp';
import { fitUnder, fitWarped } from '../../src/core/sweep/math/warp';

const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

function points(n: number, seed: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Float64Array.from([rng.next(), rng.next()]));
}
/** A wall: losses from 1 to e^10 (Rosenbrock-like), the low ones in one corner. */
const wall = (p: Float64Array) => Math.exp(10 * p[0]) + 3 * p[1];
const smooth = (p: Float64Array) => Math.sin(6 * p[0]) + 0.3 * p[1];

test('identity warp: the log density is the fit\'s log posterior minus n log sd, and that is -negLogPosterior at the fitted hyperparameters', () => {
  const x = points(12, 1);
  const raw = x.map(smooth);
  const w = fitUnder('identity', x, raw);
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length);
  assert.equal(w.warp, 'identity');
  w.y.forEach((v, i) => near(v, (raw[i] - mean) / sd, 1e-12, `y[${i}]`));
  const theta = Float64Array.from([...Array.from(w.fit.lambda).map(Math.log), Math.log(w.fit.scale), Math.log(w.fit.noise - MIN_NOISE)]);
  near(w.fit.logPosterior, -negLogPosterior(x, w.y, theta).f, 1e-6, 'log posterior');
  near(w.logDensity, w.fit.logPosterior - raw.length * Math.log(sd), 1e-9, 'log density');
});

test('log warp: z = log(y - min + median distance), and its log density adds the Jacobian -sum z', () => {
  const x = points(12, 2);
  const raw = x.map(wall);
  const w = fitUnder('log', x, raw);
  const sorted = [...raw].sort((a, b) => a - b);
  const c = sorted[6] - sorted[0];
  const z = raw.map((v) => Math.log(v - sorted[0] + c));
  const mean = z.reduce((a, b) => a + b, 0) / z.length;
  const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length);
  assert.equal(w.warp, 'log');
  w.y.forEach((v, i) => near(v, (z[i] - mean) / sd, 1e-9, `y[${i}]`));
  near(w.logDensity, w.fit.logPosterior - z.length * Math.log(sd) - z.reduce((a, b) => a + b, 0), 1e-6, 'log density');
});

test('the choice does not depend on the losses\' units: y and 1000 y + 7 give the same warp and the same difference of log densities', () => {
  for (const [f, seed] of [[wall, 3], [smooth, 4]] as const) {
    const x = points(15, seed);
    const raw = x.map(f);
    const scaled = raw.map((v) => 1000 * v + 7);
    const gap = (r: number[]) => fitUnder('log', x, r).logDensity - fitUnder('identity', x, r).logDensity;
    near(gap(scaled), gap(raw), 1e-4 * Math.max(1, Math.abs(gap(raw))), `${f === wall ? 'wall' : 'smooth'}: log minus identity`);
    assert.equal(fitWarped(x, scaled).warp, fitWarped(x, raw).warp);
  }
});

test('losses spanning four orders of magnitude get the logs; a smooth function of small range keeps its values', () => {
  for (const seed of [5, 6, 7]) {
    const x = points(20, seed);
    assert.equal(fitWarped(x, x.map(wall)).warp, 'log', `wall, seed ${seed}`);
    assert.equal(fitWarped(x, x.map(smooth)).warp, 'identity', `smooth, seed ${seed}`);
  }
});

test('when more than half the losses tie at the best, there is no spread to take logs over: identity', () => {
  const x = points(9, 8);
  const raw = x.map((p, i) => (i < 5 ? 1 : 1 + p[0]));
  assert.equal(fitUnder('log', x, raw).warp, 'identity');
  assert.equal(fitWarped(x, raw).warp, 'identity');
});
