import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRegression } from '../../src/engine/data/regression';
import { makeClassification } from '../../src/engine/data/classification';

/** Solves the normal equations [X 1]^T [X 1] w = [X 1]^T y by Gaussian elimination with pivoting. */
function leastSquares(x: Float32Array, y: Float32Array, n: number, d: number): number[] {
  const m = d + 1;
  const a = Array.from({ length: m }, () => new Array(m + 1).fill(0));
  for (let i = 0; i < n; i++) {
    const row = [...x.subarray(i * d, (i + 1) * d), 1];
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < m; q++) a[p][q] += row[p] * row[q];
      a[p][m] += row[p] * y[i];
    }
  }
  for (let c = 0; c < m; c++) {
    const piv = a.slice(c).reduce((best, r, k) => (Math.abs(r[c]) > Math.abs(a[best][c]) ? c + k : best), c);
    [a[c], a[piv]] = [a[piv], a[c]];
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= m; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((r, i) => r[m] / a[i][i]);
}

const reg = { samples: 200, features: 5, informative: 3, noise: 0, bias: 7 };

test('regression: with noise 0, least squares on the data recovers the true coefficients and bias', () => {
  const s = makeRegression(reg, 1);
  assert.equal(s.n, 200);
  assert.equal(s.x.length, 200 * 5);
  assert.deepEqual(Array.from(s.coef.subarray(3)), [0, 0], 'non-informative features have coefficient 0');
  for (const c of s.coef.subarray(0, 3)) assert.ok(c > 0 && c < 100);
  const w = leastSquares(s.x, s.y, s.n, 5);
  for (let j = 0; j < 5; j++) assert.ok(Math.abs(w[j] - s.coef[j]) < 1e-3, `coef ${j}: ${w[j]} vs ${s.coef[j]}`);
  assert.ok(Math.abs(w[5] - 7) < 1e-3, `bias ${w[5]}`);
});

test('regression: X is N(0,1); noise has the requested scale; informative defaults to all features', () => {
  const s = makeRegression({ samples: 4000, features: 4, noise: 2, bias: 0 }, 3);
  for (const c of s.coef) assert.ok(c > 0);
  const mean = s.x.reduce((a, v) => a + v, 0) / s.x.length;
  const variance = s.x.reduce((a, v) => a + v * v, 0) / s.x.length - mean ** 2;
  assert.ok(Math.abs(mean) < 0.03 && Math.abs(variance - 1) < 0.05);
  let ss = 0;
  for (let i = 0; i < s.n; i++) {
    let pred = 0;
    for (let j = 0; j < 4; j++) pred += s.x[i * 4 + j] * s.coef[j];
    ss += (s.y[i] - pred) ** 2;
  }
  assert.ok(Math.abs(Math.sqrt(ss / s.n) - 2) < 0.1, `noise std ${Math.sqrt(ss / s.n)}`);
});

test('regression: same seed, same data; another seed, other data', () => {
  assert.deepEqual(makeRegression(reg, 5), makeRegression(reg, 5));
  assert.notDeepEqual(makeRegression(reg, 5).x, makeRegression(reg, 6).x);
});

const cls = { samples: 301, features: 6, informative: 2, classes: 3, classSep: 1.5 };

test('classification: balanced classes (sizes differ by at most one), seeded', () => {
  const p = makeClassification(cls, 1);
  const counts = [0, 0, 0];
  for (const c of p.y) counts[c]++;
  assert.deepEqual(counts, [101, 100, 100]);
  assert.deepEqual(makeClassification(cls, 1), p);
  assert.notDeepEqual(makeClassification(cls, 2).x, p.x);
});

test('classification: class means sit on distinct hypercube vertices (+-classSep), noise features near 0', () => {
  const p = makeClassification({ samples: 6000, features: 5, informative: 3, classes: 6, classSep: 2 }, 4);
  const d = 5;
  const means = Array.from({ length: 6 }, () => new Array(d).fill(0));
  const counts = new Array(6).fill(0);
  for (let i = 0; i < p.n; i++) {
    counts[p.y[i]]++;
    for (let j = 0; j < d; j++) means[p.y[i]][j] += p.x[i * d + j];
  }
  const vertices = means.map((m, c) => m.map((v) => v / counts[c]));
  for (const v of vertices) {
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(Math.abs(v[j]) - 2) < 0.15, `informative mean ${v[j]}`);
    for (let j = 3; j < 5; j++) assert.ok(Math.abs(v[j]) < 0.15, `noise mean ${v[j]}`);
  }
  const keys = vertices.map((v) => v.slice(0, 3).map((u) => Math.sign(u)).join());
  assert.equal(new Set(keys).size, 6, 'distinct vertices');
});

test('classification: more classes than hypercube vertices is an error', () => {
  assert.throws(() => makeClassification({ ...cls, classes: 5, informative: 2 }, 1), /5 classes need at least 3 informative/);
});
