/**
 * Objectives as losses (lower is better), non-dominated sorting (Deb et al. 2002, NSGA-II's fast sort)
 * and ParEGO's scalarisation (Knowles 2006) for samplers that need one number per trial.
 */
import type { Rng } from '../rng';
import type { Direction } from '../spec/sweep-types';
import type { History, Trial } from './types';

/** Objective values turned into losses: maximised objectives change sign. */
export const toLosses = (values: readonly number[], directions: readonly Direction[]): number[] =>
  values.map((v, i) => (directions[i] === 'maximize' ? -v : v));

/** `a` dominates `b`: no worse in every loss and better in one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

/**
 * The non-dominated front of each loss vector: 0 for the Pareto front, 1 for the front once that is
 * removed, and so on. With one objective this is the dense rank of the loss (ties share a front).
 */
export function frontRanks(losses: readonly (readonly number[])[]): number[] {
  const n = losses.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = losses.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(losses[i], losses[j])) (dominating[i].push(j), dominatedBy[j]++);
      else if (dominates(losses[j], losses[i])) (dominating[j].push(i), dominatedBy[i]++);
    }
  }
  const rank = new Array<number>(n).fill(-1);
  let front = losses.map((_, i) => i).filter((i) => dominatedBy[i] === 0);
  for (let r = 0; front.length; r++) {
    const next: number[] = [];
    for (const i of front) {
      rank[i] = r;
      for (const j of dominating[i]) if (--dominatedBy[j] === 0) next.push(j);
    }
    front = next;
  }
  return rank;
}

/** How many of `losses` lie in fronts strictly better than entry `i`'s. */
export function betterThan(losses: readonly (readonly number[])[], i: number): number {
  const ranks = frontRanks(losses);
  return ranks.filter((r) => r < ranks[i]).length;
}

/**
 * ParEGO: each loss vector normalised to [0, 1] per objective over the set, then the augmented
 * Chebyshev function max_j w_j f_j + 0.05 sum_j w_j f_j with weights drawn uniformly from the simplex.
 * A new weight vector per suggestion spreads the search along the Pareto front. One objective: the loss.
 */
export function parego(losses: readonly (readonly number[])[], rng: Rng): number[] {
  const m = losses[0]?.length ?? 0;
  if (m <= 1) return losses.map((l) => l[0]);
  const e = Array.from({ length: m }, () => -Math.log(1 - rng.next()));
  const w = e.map((x) => x / e.reduce((a, b) => a + b, 0));
  const lo = Array.from({ length: m }, (_, j) => Math.min(...losses.map((l) => l[j])));
  const hi = Array.from({ length: m }, (_, j) => Math.max(...losses.map((l) => l[j])));
  return losses.map((l) => {
    const f = l.map((v, j) => (hi[j] > lo[j] ? (v - lo[j]) / (hi[j] - lo[j]) : 0));
    const weighted = f.map((v, j) => w[j] * v);
    return Math.max(...weighted) + 0.05 * weighted.reduce((a, b) => a + b, 0);
  });
}

/** Completed trials with objective values, and their losses. */
export function completed(history: History): { trial: Trial; losses: number[] }[] {
  return history.trials
    .filter((t) => t.state === 'completed' && t.values?.length === history.directions.length && t.values.every(Number.isFinite))
    .map((trial) => ({ trial, losses: toLosses(trial.values!, history.directions) }));
}
