/** Log-space arithmetic and log(erfc) for the privacy accountant: everything in float64, no underflow. */

/** log(e^a + e^b). */
export function logAdd(a: number, b: number): number {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  if (lo === -Infinity) return hi;
  return hi + Math.log1p(Math.exp(lo - hi));
}

/** log(e^a - e^b) for a >= b. */
export function logSub(a: number, b: number): number {
  if (a < b) throw new Error('logSub: the result would be negative');
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  const d = Math.expm1(a - b);
  return Number.isFinite(d) ? Math.log(d) + b : a;
}

const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);

/**
 * log(erfc(x)) to about 1e-11 relative accuracy for every real x, without underflow for large x
 * (erfc(30) is 1e-393). Below 3 from the series erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!
 * (all terms positive, so no cancellation inside it); from 3 on, erfc's continued fraction
 * e^(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) by the modified Lentz method, in logs.
 */
export function logErfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return Math.log(2 - Math.exp(logErfc(-x)));
  if (x < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; term > 1e-17 * sum; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    const erf = (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
    return Math.log1p(-erf);
  }
  // Lentz on b0 + a1/(b1 + a2/(b2 + ...)) with b_k = x and a_k = k/2.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -x * x - LOG_SQRT_PI - Math.log(f);
}
