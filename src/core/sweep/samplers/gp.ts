import type { Rng } from '../../rng';
import { sameJson } from '../../spec/sweep-values';
import type { History, Params, Sampler } from '../types';
import { buildParams, fromUnit, sampleDim, sampleParams, toUnit, type Space } from '../space';
import { completed, parego } from '../objectives';
import { posterior, type Posterior } from '../math/gp';
import { fitWarped } from '../math/warp';
import { logH } from '../math/normal';

export interface GpConfig {
  /** Random trials before the Gaussian process takes over. */
  startupTrials: number;
}

/** Random candidates scored per suggestion, and local-search moves from the best few. */
const CANDIDATES = 512;
const REFINED = 5;
const MOVES = 30;

/**
 * A configuration as a point of the unit cube: numeric values through `toUnit` (so log parameters in
 * their logs), categorical ones one-hot. Inactive parameters sit at 0.5 (numeric) or all zeros.
 */
export function encode(space: Space, params: Params): Float64Array {
  const out: number[] = [];
  for (const d of space.dims) {
    const v = params[d.path];
    if (d.type === 'categorical') out.push(...d.values.map((w) => (v !== undefined && sameJson(v, w) ? 1 : 0)));
    else out.push(v === undefined ? 0.5 : toUnit(d, v as number));
  }
  return Float64Array.from(out);
}

/** A neighbour of `params`: each numeric value moved by N(0, width) in the unit cube, each categorical re-drawn with probability width. */
function neighbour(space: Space, params: Params, width: number, rng: Rng): Params {
  return buildParams(space, (d) => {
    const v = params[d.path];
    if (v === undefined) return sampleDim(d, rng);
    if (d.type === 'categorical') return rng.next() < width ? sampleDim(d, rng) : v;
    return fromUnit(d, toUnit(d, v as number) + width * rng.normal());
  });
}

/** log EI of a minimised target with incumbent `best` (Jones et al. 1998). */
function logEi(post: Posterior, x: Float64Array, best: number): number {
  const { mean, variance } = post.predict(x);
  const sd = Math.sqrt(variance);
  return Math.log(sd) + logH((best - mean) / sd);
}

/**
 * Gaussian-process Bayesian optimisation (Snoek, Larochelle & Adams 2012, arXiv:1206.2944): after
 * `startupTrials` random trials, fit a GP with a Matern-5/2 ARD kernel to the completed trials' losses
 * (several objectives: ParEGO's random scalarisation, Knowles 2006), or to their logs when those fit
 * better (math/warp.ts), and suggest the configuration that
 * maximises expected improvement, found among random candidates refined by local search. Running trials
 * enter as "constant liars" at the best loss (Ginsbourger et al. 2010), so parallel suggestions spread out;
 * diverged trials at the worst loss seen.
 */
export function gpSampler(c: GpConfig): Sampler {
  return {
    suggest(space: Space, history: History, rng: Rng) {
      const done = completed(history);
      if (done.length < Math.max(2, c.startupTrials)) return sampleParams(space, rng);
      const raw = parego(done.map((d) => d.losses), rng);
      // A diverged trial enters at the worst loss seen: left out, its region kept the prior's variance and so
      // a high expected improvement, and the sampler went back to it (TPE ranks such trials last for the same reason).
      const diverged = history.trials.filter((t) => t.state === 'failed' && t.diverged).map((t) => encode(space, t.params));
      const x = [...done.map((d) => encode(space, d.trial.params)), ...diverged];
      const { y, fit: hyper } = fitWarped(x, [...raw, ...diverged.map(() => Math.max(...raw))]);
      const best = Math.min(...y);
      const pending = history.trials.filter((t) => t.state === 'running').map((t) => encode(space, t.params));
      const post = posterior([...x, ...pending], Float64Array.from([...y, ...pending.map(() => best)]), hyper);
      if (!post) return sampleParams(space, rng);
      const score = (p: Params) => logEi(post, encode(space, p), best);
      const starts = done.map((d, i) => ({ p: d.trial.params, v: raw[i] })).sort((a, b) => a.v - b.v).slice(0, REFINED).map((s) => s.p);
      const pool = [...Array.from({ length: CANDIDATES }, () => sampleParams(space, rng)), ...starts.flatMap((p) => [0.02, 0.1].map((w) => neighbour(space, p, w, rng)))];
      const scored = pool.map((p) => ({ p, s: score(p) })).sort((a, b) => b.s - a.s).slice(0, REFINED);
      for (const cand of scored) {
        for (let m = 0, width = 0.1; m < MOVES; m++, width *= 0.93) {
          const p = neighbour(space, cand.p, width, rng);
          const s = score(p);
          if (s > cand.s) [cand.p, cand.s] = [p, s];
        }
      }
      return scored.reduce((a, b) => (b.s > a.s ? b : a)).p;
    },
  };
}
