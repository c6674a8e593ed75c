/**
 * Limited-memory BFGS (Liu & Nocedal 1989; Nocedal & Wright, Numerical Optimization, algorithm 7.4):
 * the two-loop recursion over the last `memory` steps, with a backtracking Armijo line search. Minimises
 * `fg`, which returns the value and gradient at x (an infinite value makes the search step back).
 */
export interface LbfgsOptions {
  maxIter: number;
  memory: number;
  /** Stop when the gradient's largest component falls below this. */
  gradTol: number;
}

const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i], 0);

export function lbfgs(
  fg: (x: Float64Array) => { f: number; g: Float64Array },
  x0: Float64Array,
  o: LbfgsOptions = { maxIter: 60, memory: 8, gradTol: 1e-5 },
): { x: Float64Array; f: number } {
  let x = Float64Array.from(x0);
  let { f, g } = fg(x);
  if (!Number.isFinite(f)) return { x, f };
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  for (let iter = 0; iter < o.maxIter; iter++) {
    if (Math.max(...g.map(Math.abs)) < o.gradTol) break;
    // Two-loop recursion: d = -H g with H the L-BFGS inverse-Hessian estimate.
    const q = Float64Array.from(g);
    const alphas: number[] = [];
    for (let k = ss.length - 1; k >= 0; k--) {
      const a = dot(ss[k], q) / dot(ys[k], ss[k]);
      alphas[k] = a;
      for (let i = 0; i < q.length; i++) q[i] -= a * ys[k][i];
    }
    const gamma = ss.length ? dot(ss[ss.length - 1], ys[ys.length - 1]) / dot(ys[ys.length - 1], ys[ys.length - 1]) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < q.length; i++) q[i] *= gamma;
    for (let k = 0; k < ss.length; k++) {
      const b = dot(ys[k], q) / dot(ys[k], ss[k]);
      for (let i = 0; i < q.length; i++) q[i] += ss[k][i] * (alphas[k] - b);
    }
    const d = q.map((v) => -v);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (a stale curvature pair): restart from steepest descent.
      ss.length = ys.length = 0;
      d.set(g.map((v) => -v / Math.max(1, Math.sqrt(dot(g, g)))));
      slope = dot(g, d);
    }
    let step = 1;
    let next: { f: number; g: Float64Array } | undefined;
    let xn = x;
    for (let tries = 0; tries < 30; tries++, step /= 2) {
      xn = x.map((v, i) => v + step * d[i]);
      next = fg(xn);
      if (Number.isFinite(next.f) && next.f <= f + 1e-4 * step * slope) break;
      next = undefined;
    }
    if (!next) break;
    const s = xn.map((v, i) => v - x[i]);
    const y = next.g.map((v, i) => v - g[i]);
    if (dot(s, y) > 1e-12) {
      ss.push(s);
      ys.push(y);
      if (ss.length > o.memory) (ss.shift(), ys.shift());
    }
    const done = Math.abs(f - next.f) < 1e-9 * Math.max(1, Math.abs(f));
    [x, f, g] = [xn, next.f, next.g];
    if (done) break;
  }
  return { x, f };
}
