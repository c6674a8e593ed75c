/**
 * Rényi-DP accountant for the Poisson-subsampled Gaussian mechanism (Mironov, Talwar & Zhang 2019,
 * arXiv:1908.10530, section 3.3): the mechanism DP-FedAvg runs once per round (each client sampled
 * independently with probability q, the sum of clipped updates plus N(0, (z S)^2) noise, S the clip
 * norm and z the noise multiplier). RDP composes by addition over rounds; (epsilon, delta) follows by
 * the conversion of Balle et al. 2020 (arXiv:1905.09982, Theorem 21), as TF-Privacy and Opacus do.
 */
import { logAdd, logErfc, logSub } from './log-math';

/** TF-Privacy's default orders: 1.1 to 10.9 by 0.1, 12 to 63, 128, 256, 512. */
export const RDP_ORDERS: readonly number[] = [
  ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10),
  ...Array.from({ length: 52 }, (_, i) => 12 + i),
  128, 256, 512,
];

/** log A_alpha for integer alpha: a finite binomial sum (Mironov et al. 2019, section 3.3). */
function logAInt(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  let logBinom = 0; // log C(alpha, i), updated in the loop
  for (let i = 0; i <= alpha; i++) {
    const s = logBinom + i * Math.log(q) + (alpha - i) * Math.log1p(-q) + (i * i - i) / (2 * sigma * sigma);
    logA = logAdd(logA, s);
    logBinom += Math.log(alpha - i) - Math.log(i + 1);
  }
  return logA;
}

/**
 * log A_alpha for fractional alpha: the two halves of the integral around z0 as series in i, summed
 * until their terms fall below e^-30 (Mironov et al. 2019, section 3.3). Generalised binomial
 * coefficients change sign once i exceeds alpha, hence the signed log-space sums.
 */
function logAFrac(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let logCoef = 0; // log |C(alpha, i)|
  let positive = true;
  for (let i = 0; ; i++) {
    const j = alpha - i;
    const logT0 = logCoef + i * Math.log(q) + j * Math.log1p(-q);
    const logT1 = logCoef + j * Math.log(q) + i * Math.log1p(-q);
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (positive) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) break;
    // C(alpha, i + 1) = C(alpha, i) (alpha - i) / (i + 1)
    logCoef += Math.log(Math.abs(alpha - i)) - Math.log(i + 1);
    if (alpha - i < 0) positive = !positive;
  }
  return logAdd(logA0, logA1);
}

/**
 * RDP at order `alpha` of one step of the Poisson-subsampled Gaussian mechanism with sampling rate `q`
 * and noise multiplier `sigma` (noise std / L2 sensitivity). Infinity without noise.
 */
export function rdpSubsampledGaussian(q: number, sigma: number, alpha: number): number {
  if (q === 0) return 0;
  if (sigma === 0) return Infinity;
  if (q === 1) return alpha / (2 * sigma * sigma);
  if (!Number.isFinite(alpha)) return Infinity;
  const logA = Number.isInteger(alpha) ? logAInt(q, sigma, alpha) : logAFrac(q, sigma, alpha);
  return logA / (alpha - 1);
}

/** RDP after `steps` rounds at each order. */
export const computeRdp = (q: number, sigma: number, steps: number, orders: readonly number[] = RDP_ORDERS): number[] =>
  orders.map((a) => rdpSubsampledGaussian(q, sigma, a) * steps);

/**
 * The smallest epsilon over the orders such that the RDP guarantees `rdp` give (epsilon, delta)-DP:
 * epsilon = rdp + log(1 - 1/alpha) - log(delta alpha) / (alpha - 1) (Balle et al. 2020, Theorem 21), 0 when
 * the RDP is so small that delta alone covers it, never below 0. Returns the order that attains it.
 */
export function rdpToEpsilon(orders: readonly number[], rdp: readonly number[], delta: number): { epsilon: number; order: number } {
  if (!(delta > 0 && delta < 1)) throw new Error(`rdpToEpsilon: delta must be in (0, 1), got ${delta}`);
  let best = { epsilon: Infinity, order: NaN };
  orders.forEach((a, i) => {
    const r = rdp[i];
    let eps: number;
    if (delta * delta + Math.expm1(-r) > 0) eps = 0;
    else if (a > 1.01) eps = r + Math.log1p(-1 / a) - Math.log(delta * a) / (a - 1);
    else eps = Infinity;
    if (eps < best.epsilon) best = { epsilon: eps, order: a };
  });
  return { epsilon: Math.max(0, best.epsilon), order: best.order };
}

/** Accumulates rounds of the subsampled Gaussian mechanism; `epsilon(delta)` after any number of them. */
export class RdpAccountant {
  private readonly rdp: number[];

  constructor(readonly orders: readonly number[] = RDP_ORDERS) {
    this.rdp = orders.map(() => 0);
  }

  /** Adds `steps` rounds with sampling rate `q` and noise multiplier `sigma`. */
  step(q: number, sigma: number, steps = 1): void {
    this.orders.forEach((a, i) => (this.rdp[i] += rdpSubsampledGaussian(q, sigma, a) * steps));
  }

  epsilon(delta: number): number {
    return rdpToEpsilon(this.orders, this.rdp, delta).epsilon;
  }
}
