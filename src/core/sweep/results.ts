/** What a sweep found, from its trials alone: best trial or Pareto front, parameter importance, history. Pure. */
import { createRng, derive } from '../rng';
import type { SweepObjective } from '../spec/sweep-types';
import type { Space } from './space';
import type { TrialRecord } from './record';
import { completed, frontRanks } from './objectives';
import { columnsOf, IMPORTANCE_METHOD, permutationImportance } from './importance/permutation';

export interface HistoryPoint {
  number: number;
  state: TrialRecord['state'];
  values?: number[];
  /** Epochs this trial trained, and all finished trials so far together. */
  epochs: number;
  cumulativeEpochs: number;
  /** Best value of each objective among the trials completed so far. */
  bestSoFar: (number | undefined)[];
}

export interface SweepResults {
  /** The best completed trial's number (one objective). */
  best?: number;
  /** Numbers of the completed trials no other completed trial dominates (the best one, with one objective). */
  pareto: number[];
  /** Per objective, each parameter's share of importance; absent with fewer than 4 completed trials. */
  importance?: { method: string; byObjective: Record<string, number>[] };
  /** Finished trials in the order they finished. */
  history: HistoryPoint[];
}

const better = (o: SweepObjective, a: number, b: number): boolean => (o.direction === 'maximize' ? a > b : a < b);

export function sweepResults(space: Space, objectives: SweepObjective[], trials: TrialRecord[], seed: number): SweepResults {
  const history = { directions: objectives.map((o) => o.direction), trials };
  const done = completed(history);
  const fronts = frontRanks(done.map((d) => d.losses));
  const pareto = done.filter((_, i) => fronts[i] === 0).map((d) => d.trial.number);
  const best = objectives.length === 1 && done.length
    ? done.reduce((a, b) => (better(objectives[0], b.trial.values![0], a.trial.values![0]) ? b : a)).trial.number
    : undefined;
  const rows = done.map((d) => columnsOf(space, d.trial.params));
  const importance = done.length >= 4
    ? {
        method: IMPORTANCE_METHOD,
        byObjective: objectives.map((_, j) => {
          const shares = permutationImportance(rows, done.map((d) => d.trial.values![j]), createRng(derive(seed, 'importance', j)));
          return Object.fromEntries(space.dims.map((d, k) => [d.path, shares[k]]));
        }),
      }
    : undefined;
  const finished = trials.filter((t) => t.state !== 'running').sort((a, b) => (a.finished ?? '').localeCompare(b.finished ?? '') || a.number - b.number);
  let total = 0;
  const bestSoFar: (number | undefined)[] = objectives.map(() => undefined);
  const points = finished.map((t): HistoryPoint => {
    total += t.epochs;
    if (t.state === 'completed' && t.values) {
      objectives.forEach((o, j) => {
        const cur = bestSoFar[j];
        if (cur === undefined || better(o, t.values![j], cur)) bestSoFar[j] = t.values![j];
      });
    }
    return { number: t.number, state: t.state, values: t.values, epochs: t.epochs, cumulativeEpochs: total, bestSoFar: [...bestSoFar] };
  });
  return { best, pareto: best !== undefined ? [best] : pareto, importance, history: points };
}
