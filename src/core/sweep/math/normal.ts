/** The standard normal distribution, and the log of expected improvement built on it. */

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erfc by the Chebyshev fit of Numerical Recipes (section 6.2): relative error below 1.2e-7 everywhere. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

export const normalCdf = (x: number): number => 0.5 * erfc(-x / SQRT2);

export const normalLogPdf = (x: number): number => -0.5 * x * x - LOG_SQRT_2PI;

export const normalPdf = (x: number): number => Math.exp(normalLogPdf(x));

/**
 * log(z * Phi(z) + phi(z)): expected improvement per unit of predictive standard deviation, on a log
 * scale so candidates far from the incumbent still compare (EI itself underflows to 0 there). Below
 * z = -6 it uses the asymptotic series phi(z) / z^2 * (1 - 3 / z^2 + 15 / z^4).
 */
export function logH(z: number): number {
  if (z > -6) return Math.log(z * normalCdf(z) + normalPdf(z));
  const z2 = z * z;
  return normalLogPdf(z) - Math.log(z2) + Math.log(1 - 3 / z2 + 15 / (z2 * z2));
}
