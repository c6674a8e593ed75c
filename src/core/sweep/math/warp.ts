/**
 * The Gaussian process's targets: the losses as they are, or their logs past the best one, whichever the
 * GP explains better (a warped GP, Snelson, Rasmussen & Ghahramani 2004, with the warp chosen from two by
 * evidence, as Box & Cox 1964 choose a power). The log warp is z = log(y - min + c), c the median's distance
 * from the best loss: losses spanning orders of magnitude (Rosenbrock, the six-hump camel's walls) get a
 * scale where the region of the best ones is not flattened by the worst; losses the GP already fits well
 * keep theirs. Each candidate is standardised and fitted, and scored by the log density of the raw losses:
 * the fit's log posterior plus the log Jacobian of the warp and the standardisation, so that the two are
 * densities of the same data (scaling or shifting the losses changes neither score's difference).
 */
import { fitGp, type GpFit } from './gp';

export type Warp = 'identity' | 'log';

export interface WarpedFit {
  warp: Warp;
  /** The standardised warped losses the GP was fitted to, and the fit. */
  y: Float64Array;
  fit: GpFit;
  /** Log density of the raw losses under this warp's fit (the score the warp was chosen by). */
  logDensity: number;
}

/** Standardised values and the log Jacobian of the standardisation (-n log sd). */
function standardise(v: readonly number[]): { y: Float64Array; logJacobian: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) || 1;
  return { y: Float64Array.from(v, (u) => (u - mean) / sd), logJacobian: -v.length * Math.log(sd) };
}

/** log(y - min + c), c the median's distance from the best loss; undefined when that is 0 (no spread to take logs over). */
function logWarp(raw: readonly number[]): number[] | undefined {
  const sorted = [...raw].sort((a, b) => a - b);
  const c = sorted[Math.floor(sorted.length / 2)] - sorted[0];
  return c > 0 ? raw.map((v) => Math.log(v - sorted[0] + c)) : undefined;
}

function fitTo(warp: Warp, x: Float64Array[], values: readonly number[], warpJacobian: number): WarpedFit {
  const { y, logJacobian } = standardise(values);
  const fit = fitGp(x, y);
  return { warp, y, fit, logDensity: fit.logPosterior + logJacobian + warpJacobian };
}

const identityFit = (x: Float64Array[], raw: readonly number[]) => fitTo('identity', x, raw, 0);
// d log(y - min + c) / dy = 1 / (y - min + c), whose log is minus the warped value.
const logFit = (x: Float64Array[], z: number[]) => fitTo('log', x, z, -z.reduce((a, b) => a + b, 0));

/** The GP fitted to the losses under one warp (`identity` when the log warp has no spread to work with). */
export function fitUnder(warp: Warp, x: Float64Array[], raw: readonly number[]): WarpedFit {
  const z = warp === 'log' ? logWarp(raw) : undefined;
  return z ? logFit(x, z) : identityFit(x, raw);
}

/** The GP fitted to inputs `x` (unit cube) and losses `raw` (minimised) under the warp with the higher log density. */
export function fitWarped(x: Float64Array[], raw: readonly number[]): WarpedFit {
  const plain = identityFit(x, raw);
  const z = logWarp(raw);
  const logs = z && logFit(x, z);
  return logs && logs.logDensity > plain.logDensity ? logs : plain;
}
