/**
 * The eps ball, exactly. Attacks run in float32, where x + eps can round to a value more than eps away
 * from x. These pure functions work on the float32 values themselves, in float64 arithmetic (exact for
 * differences of float32 numbers), so an adversarial example that passes `inBall` is within eps of its
 * input and inside [0, 1] without any tolerance. Arrays hold `n` rows of `d` values.
 */
import type { Norm } from '../spec/robust-types';

const f32 = new Float32Array(1);
const bits = new Uint32Array(f32.buffer);

/** The float32 next to v (>= 0) in direction `dir` (+1 up, -1 down). */
function nextFloat32(v: number, dir: 1 | -1): number {
  f32[0] = v;
  if (v === 0) return dir > 0 ? 1.401298464324817e-45 : 0;
  bits[0] += dir;
  return f32[0];
}

/**
 * Per-value bounds of the linf ball of radius eps around x, intersected with [0, 1], as float32 values
 * rounded inward: every float32 v with lo <= v <= hi has |v - x| <= eps and 0 <= v <= 1 exactly.
 */
export function linfBounds(x: Float32Array, eps: number): { lo: Float32Array; hi: Float32Array } {
  const lo = new Float32Array(x.length);
  const hi = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const [l, h] = [Math.max(0, x[i] - eps), Math.min(1, x[i] + eps)];
    let l32 = Math.fround(l);
    if (l32 < l) l32 = nextFloat32(l32, 1);
    let h32 = Math.fround(h);
    if (h32 > h) h32 = nextFloat32(h32, -1);
    // An eps below float32 resolution near x leaves x itself, which is always inside.
    [lo[i], hi[i]] = l32 > x[i] || h32 < x[i] ? [x[i], x[i]] : [l32, h32];
  }
  return { lo, hi };
}

/** ||x_i - a_i|| of row i in the norm, in float64. */
export function rowDistance(x: Float32Array, a: Float32Array, i: number, d: number, norm: Norm): number {
  let acc = 0;
  for (let j = i * d; j < (i + 1) * d; j++) {
    const diff = Math.abs(a[j] - x[j]);
    acc = norm === 'linf' ? Math.max(acc, diff) : acc + diff * diff;
  }
  return norm === 'linf' ? acc : Math.sqrt(acc);
}

/** Whether row i of `a` is finite, inside [0, 1] and within eps of row i of `x`, exactly. */
export function inBall(x: Float32Array, a: Float32Array, i: number, d: number, eps: number, norm: Norm): boolean {
  for (let j = i * d; j < (i + 1) * d; j++) if (!(a[j] >= 0 && a[j] <= 1)) return false;
  return rowDistance(x, a, i, d, norm) <= eps;
}

/**
 * Projects each row of `a` (in place) onto the l2 ball of radius eps around x and the [0, 1] box, so
 * that `inBall` holds exactly: delta is scaled in float64, rounded to float32, clipped to the box (which
 * only shrinks |delta|, x being inside it), and shrunk by a few ulps more while rounding left it outside.
 */
export function projectL2(x: Float32Array, a: Float32Array, n: number, d: number, eps: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i * d; j < (i + 1) * d; j++) if (!Number.isFinite(a[j])) a[j] = x[j];
    for (let tries = 0; !inBall(x, a, i, d, eps, 'l2'); tries++) {
      // x itself is always inside; 30 shrinks of growing size never fail to get there first (tested).
      if (tries === 30) {
        a.set(x.subarray(i * d, (i + 1) * d), i * d);
        break;
      }
      const norm = rowDistance(x, a, i, d, 'l2');
      const s = (norm > eps ? eps / norm : 1) * (1 - 1e-7 * 2 ** tries);
      for (let j = i * d; j < (i + 1) * d; j++) a[j] = Math.min(1, Math.max(0, Math.fround(x[j] + (a[j] - x[j]) * s)));
    }
  }
}
