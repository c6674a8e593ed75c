// TPE's Parzen estimators on hand-computed cases: neighbour widths with the prior's centre among the
// neighbours (Optuna's rule), the magic clip, the normal-reference rule for multivariate groups, categorical kernels,
// and the mixture weights of old observations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng';
import { createSpace } from '../../src/core/sweep';
import { neighbourWidths, numericKernels, categoricalKernels } from '../../src/core/sweep/samplers/kernels';
import { observationWeights, parzenEstimator } from '../../src/core/sweep/samplers/parzen';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);
const x = createSpace({ x: { type: 'float', min: -5, max: 10, log: false } }).dims[0] as Parameters<typeof numericKernels>[0];

test('neighbour widths: the prior centre 2.5 is a neighbour; the outermost centres look inwards only', () => {
  // Sorted centres -5 | -4, 2.5, 2.6, 3, 9.5 | 10: -4 -> 6.5 (not 1, the end), 2.6 -> max(0.1, 0.4), 9.5 -> 6.5 (not 0.5).
  assert.deepEqual(neighbourWidths([3, -4, 9.5, 2.6, 2.5], -5, 10).map((w) => Number(w.toFixed(9))), [6.5, 6.5, 6.5, 0.4, 6.5]);
  // One centre alone: the farther end.
  assert.deepEqual(neighbourWidths([2.5], -5, 10), [7.5]);
});

test('numeric kernels: the magic clip keeps widths >= range / (kernels + 1); the prior is N(centre, range) truncated', () => {
  const k = numericKernels(x, [3, -4, 9.5, 2.6], 'neighbours');
  // Kernel 3 (centre 2.6, width 0.4 clipped to 15 / 6 = 2.5): its truncated density at its centre.
  const mass = (m: number, s: number) => 0.5 * (erf((10 - m) / s / Math.SQRT2) - erf((-5 - m) / s / Math.SQRT2));
  close(k.logPdf(3, 2.6), -Math.log(2.5 * Math.sqrt(2 * Math.PI)) - Math.log(mass(2.6, 2.5)), 1e-6);
  close(k.logPdf(4, 2.5), -Math.log(15 * Math.sqrt(2 * Math.PI)) - Math.log(mass(2.5, 15)), 1e-6);
  const rng = createRng(1);
  for (let i = 0; i < 200; i++) {
    const v = k.sample(i % 5, rng);
    assert.ok(v >= -5 && v <= 10, `${v}`);
  }
});

test('normal-reference widths: 1.06 sd n^(-1/(d+4)) for every observation, clipped below by range / (n + 2)', () => {
  // 0, 0.25, ..., 4.75: sd = sqrt(35 / 16) = 1.479; 1.06 * 1.479 * 20^(-1/6) = 0.95, above the clip 15 / 22 = 0.68.
  const k = numericKernels(x, Array.from({ length: 20 }, (_, i) => i / 4), { scott: 2 });
  const s = 1.06 * Math.sqrt(35 / 16) * 20 ** (-1 / 6);
  const mass = 0.5 * (erf(10 / s / Math.SQRT2) - erf(-5 / s / Math.SQRT2));
  close(k.logPdf(0, 0), -Math.log(s * Math.sqrt(2 * Math.PI)) - Math.log(mass), 1e-6);
});

test('categorical kernels: weight 1 on the observed value plus prior weight / (n + 1) on each', () => {
  const k = categoricalKernels(3, [0, 2], 1);
  const base = 1 / 3;
  close(Math.exp(k.logPdf(0, 0)), (1 + base) / (1 + 3 * base));
  close(Math.exp(k.logPdf(0, 1)), base / (1 + 3 * base));
  close(Math.exp(k.logPdf(2, 1)), 1 / 3);
});

test('older observations weigh less beyond 25 (a ramp from 1/n to 1), newer ones 1', () => {
  assert.deepEqual(observationWeights(3), [1, 1, 1]);
  const w = observationWeights(30);
  close(w[0], 1 / 30);
  close(w[4], 1);
  assert.deepEqual(w.slice(5), new Array(25).fill(1));
});

test('a multivariate estimator keeps combinations: draws near (0, 0) or (1, 1), never near (0, 1)', () => {
  const space = createSpace({ a: { type: 'float', min: 0, max: 1, log: false }, b: { type: 'float', min: 0, max: 1, log: false } });
  const rows = Array.from({ length: 40 }, (_, i) => (i % 2 ? [0.02, 0.02] : [0.98, 0.98]));
  const e = parzenEstimator(space.dims, rows, { priorWeight: 1e-9, multivariate: true });
  assert.ok(e.logPdf([0.02, 0.02]) > e.logPdf([0.02, 0.98]) + 5);
  const rng = createRng(3);
  const draws = Array.from({ length: 200 }, () => e.sample(rng));
  assert.ok(draws.filter(([a, b]) => Math.abs(a - b) > 0.6).length < 5);
});

/** erf by its Maclaurin series (Abramowitz & Stegun 7.1.26 is too coarse here); beyond |z| = 5 it is +-1 to 1.5e-12. */
function erf(z: number): number {
  if (Math.abs(z) > 5) return Math.sign(z);
  let [sum, term] = [z, z];
  for (let n = 1; n < 200; n++) {
    term *= (-z * z) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
