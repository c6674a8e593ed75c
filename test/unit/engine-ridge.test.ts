// Known answer: full-batch gradient descent on the documented objective
//   mean((Xw + b - y)^2) + l2 * ||w||^2      (bias not penalised)
// converges to the closed-form ridge solution; with l2 = 0 to ordinary least squares.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../../src/engine/data';
import { trainOnce, trainSpec, useCpu } from '../helpers/engine';

before(useCpu);

/** Solves A x = b by Gaussian elimination with partial pivoting (float64). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    const p = M.slice(c).reduce((best, row, i) => (Math.abs(row[c]) > Math.abs(M[best][c]) ? c + i : best), c);
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) x[r] = (M[r][n] - M.slice(r + 1, n).reduce((s, _, k) => s + M[r][r + 1 + k] * x[r + 1 + k], 0)) / M[r][r];
  return x;
}

/** Ridge with an unpenalised intercept: centre X and y, solve (Xc'Xc/n + l2 I) w = Xc'yc/n, b = ȳ - x̄·w. */
function ridge(x: Float32Array, y: Float32Array, n: number, d: number, l2: number): { w: number[]; b: number } {
  const xm = Array.from({ length: d }, (_, j) => Array.from({ length: n }, (_, i) => x[i * d + j]).reduce((a, v) => a + v, 0) / n);
  const ym = y.reduce((a, v) => a + v, 0) / n;
  const A = Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, k) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i * d + j] - xm[j]) * (x[i * d + k] - xm[k]);
    return s / n + (j === k ? l2 : 0);
  }));
  const rhs = Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i * d + j] - xm[j]) * (y[i] - ym);
    return s / n;
  });
  const w = solve(A, rhs);
  return { w, b: ym - w.reduce((s, wj, j) => s + wj * xm[j], 0) };
}

const relErr = (a: number[], b: number[]) =>
  Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0)) / Math.sqrt(b.reduce((s, v) => s + v * v, 0));

for (const l2 of [0.5, 0.01, 0]) {
  test(`full-batch GD reaches the closed-form ${l2 ? `ridge (l2=${l2})` : 'least-squares'} solution`, async () => {
    const data = loadDataset(
      { source: 'regression', samples: 400, features: 3, informative: 3, noise: 5, bias: 3, split: { train: 0.8, val: 0, test: 0.2 }, normalize: 'standard', normalizeTarget: false },
      11,
      process.cwd(),
    );
    const { model, result } = await trainOnce(data, { type: 'linear' }, trainSpec({ optimizer: 'sgd', lr: 0.2, batchSize: 0, epochs: 400, l2 }), 3);
    assert.equal(result.status, 'completed');
    const [kernel, bias] = model.getWeights().map((t) => Array.from(t.dataSync()));
    const exact = ridge(data.train.x, data.train.y, data.train.n, 3, l2);
    const err = relErr([...kernel, ...bias], [...exact.w, exact.b]);
    assert.ok(err <= 1e-3, `relative error ${err} > 1e-3 (got w=${kernel} b=${bias}, exact w=${exact.w} b=${exact.b})`);
    if (l2 > 0.1) {
      // The penalty really shrinks: the ridge weights are smaller than least squares'.
      const ols = ridge(data.train.x, data.train.y, data.train.n, 3, 0);
      assert.ok(Math.hypot(...exact.w) < Math.hypot(...ols.w) * 0.9);
    }
  });
}
