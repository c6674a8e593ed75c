/**
 * Semantic checks on `sweep`: parameter paths and ranges, conditions that name a categorical parameter
 * and its values, objectives (checks-objectives.ts), and a budget. Whether sampled values are valid specs is
 * checked in checks-sweep-values.ts.
 */
import type { Check } from './checks';
import type { Json, SweepParameter } from './sweep-types';
import { gridCount, sameJson } from './sweep-values';
import { createSpace, isActive } from '../sweep/space';
import type { Params } from '../sweep/types';
import { LIMITS } from './limits';
import { plannedSteps } from '../dashboard/federated';
import { describeEnum, showFound } from './describe';
import { joinPath, parsePath } from './paths';
import { didYouMean } from './suggest';
import { OBJECTIVE_CHECKS } from './checks-objectives';
import type { SpecProblem } from './types';

/** `sweep.parameters["train.lr"]`: where problems with the parameter at `path` are reported. */
export const paramAt = (path: string): string => joinPath('sweep.parameters', path);

/**
 * A categorical value listed twice: random search and TPE's prior would draw it twice as often, and a grid
 * would count combinations it never makes (trials are told apart by their values).
 */
function repeatedValues(at: string, values: Json[]): SpecProblem[] {
  return values.flatMap((v, i) => {
    const first = values.findIndex((w) => sameJson(v, w));
    return first < i ? [{ path: `${at}.values[${i}]`, expected: `a value not already listed (values[${first}] is the same)`, found: showFound(v) }] : [];
  });
}

function rangeProblems(at: string, p: SweepParameter): SpecProblem[] {
  if (p.type === 'categorical') return repeatedValues(at, p.values);
  const out: SpecProblem[] = [];
  if (!(p.max > p.min)) out.push({ path: `${at}.max`, expected: `a number > min (${p.min})`, found: showFound(p.max) });
  if (p.log && p.min <= 0) out.push({ path: `${at}.min`, expected: 'a number > 0 with log: true', found: showFound(p.min) });
  const stepped = p.step !== undefined && !(p.type === 'int' && p.step === 1);
  if (p.log && stepped) out.push({ path: `${at}.step`, expected: p.type === 'int' ? '1 (or no step) with log: true' : 'no step with log: true', found: showFound(p.step) });
  // A step past max leaves min as the only value: a parameter that never varies.
  else if (p.step !== undefined && p.max > p.min && p.step > p.max - p.min) {
    out.push({ path: `${at}.step`, expected: `at most max - min (${Number((p.max - p.min).toPrecision(12))}), so that the range has a second value`, found: showFound(p.step) });
  }
  return out;
}

function conditionProblems(path: string, params: Record<string, SweepParameter>): SpecProblem[] {
  const when = params[path].when;
  if (!when) return [];
  const at = `${paramAt(path)}.when`;
  const parent = params[when.parameter];
  const categorical = Object.keys(params).filter((k) => k !== path && params[k].type === 'categorical');
  if (!parent || when.parameter === path || parent.type !== 'categorical') {
    const why = parent && when.parameter !== path ? ` (${when.parameter} is ${parent.type})` : didYouMean(when.parameter, categorical);
    const expected = categorical.length ? `a categorical parameter of this sweep: ${describeEnum(categorical)}` : 'a categorical parameter of this sweep (there is none)';
    return [{ path: `${at}.parameter`, expected: expected + why, found: showFound(when.parameter) }];
  }
  const out: SpecProblem[] = [];
  when.in.forEach((v, i) => {
    if (!parent.values.some((w) => sameJson(v, w))) out.push({ path: `${at}.in[${i}]`, expected: `a value of ${when.parameter}: ${describeEnum(parent.values)}`, found: showFound(v) });
  });
  // A cycle is reported once, at its member that comes first in the sweep.
  const chain = [path];
  for (let p = when.parameter; params[p]?.when && !chain.includes(p); p = params[p].when!.parameter) chain.push(p);
  const last = params[chain[chain.length - 1]].when?.parameter;
  const first = Object.keys(params).find((k) => chain.includes(k));
  if (last === path && first === path) out.push({ path: `${at}.parameter`, expected: 'a chain of conditions without a cycle', found: [...chain, path].join(' -> ') });
  return out;
}

/** Problems with the parameter at `path` itself (path syntax, range, condition); values are checked apart. */
export function parameterProblems(path: string, params: Record<string, SweepParameter>): SpecProblem[] {
  const at = paramAt(path);
  const keys = parsePath(path);
  if (!keys || keys[0] === 'sweep') {
    return [{ path: at, expected: 'a spec path like train.lr or model.layers[0], outside sweep', found: showFound(path) }];
  }
  return [...rangeProblems(at, params[path]), ...conditionProblems(path, params)];
}

const parametersWellFormed: Check = {
  reads: ['sweep.parameters'],
  run: ({ spec: { sweep } }) => (sweep ? Object.keys(sweep.parameters).flatMap((p) => parameterProblems(p, sweep.parameters)) : []),
};

const hasBudget: Check = {
  reads: ['sweep.sampler', 'sweep.trials', 'sweep.timeLimit'],
  run: ({ spec: { sweep } }) => {
    if (!sweep || sweep.sampler.type === 'grid' || sweep.trials !== undefined || sweep.timeLimit !== undefined) return [];
    return [{ path: 'sweep.trials', expected: `a budget for the ${sweep.sampler.type} sampler: trials, timeLimit or both`, found: 'nothing' }];
  },
};

/**
 * Combinations of a grid, counted without building them: conditions are followed by keeping the values
 * of the categorical parameters that conditions read, and multiplying the counts of the others. Stops
 * counting once past `limit`.
 */
function gridSize(parameters: Record<string, SweepParameter>, points: number, limit: number): number {
  const { dims } = createSpace(parameters);
  const read = new Set(dims.flatMap((d) => (d.when ? [d.when.parameter] : [])));
  type State = { params: Params; count: number };
  let states: State[] = [{ params: {}, count: 1 }];
  let total = 1;
  for (const d of dims) {
    const next: State[] = [];
    total = 0;
    const add = (params: Params, count: number) => {
      next.push({ params, count });
      total += count;
    };
    for (const st of states) {
      if (!isActive(d, st.params)) add(st.params, st.count);
      else if (d.type === 'categorical' && read.has(d.path)) d.values.forEach((v) => add({ ...st.params, [d.path]: v }, st.count));
      else add(st.params, st.count * gridCount(d, points));
      if (total > limit) return total;
    }
    states = next;
  }
  return total;
}

/** A grid sweep runs every combination as a trial, so it may have no more than the trials a sweep can run. */
const gridFits: Check = {
  reads: ['sweep.parameters', 'sweep.sampler'],
  run: ({ spec: { sweep } }) => {
    if (sweep?.sampler.type !== 'grid') return [];
    // createSpace follows conditions, so it needs them free of cycles and unknown parameters.
    if (Object.keys(sweep.parameters).some((p) => parameterProblems(p, sweep.parameters).length)) return [];
    const n = gridSize(sweep.parameters, sweep.sampler.points, LIMITS.gridCombinations);
    if (n <= LIMITS.gridCombinations) return [];
    return [{ path: 'sweep.sampler', expected: `a grid of at most ${LIMITS.gridCombinations} combinations (fewer values, larger steps, or another sampler)`, found: `more than ${LIMITS.gridCombinations}` }];
  },
};

/**
 * A stopper must be able to act within the steps a trial trains (the coordinator's `epochs`): ASHA's
 * first rung below them, Hyperband a second bracket (minEpochs * eta within them), the median rule's
 * warm-up shorter. Otherwise it silently prunes nothing. And that length must be one: no stopper while
 * the epochs (or rounds) themselves are swept.
 */
const stopperActs: Check = {
  reads: ['sweep.stopper', 'sweep.parameters', 'train.epochs', 'federated.rounds'],
  run: ({ spec }) => {
    const stopper = spec.sweep?.stopper;
    if (!stopper || stopper.type === 'none') return [];
    // A stopper compares trials epoch by epoch against one planned length: trials of different lengths
    // would be judged past their end, or never after the base spec's.
    const length = ['train.epochs', 'federated.rounds'].find((p) => p in spec.sweep!.parameters);
    if (length) {
      return [{ path: 'sweep.stopper.type', expected: `'none' while ${length} is a sweep parameter: a stopper judges trials of one length (fix ${length}, and let the stopper end the poor trials early)`, found: showFound(stopper.type) }];
    }
    const steps = plannedSteps(spec);
    const trains = `the ${steps} ${spec.federated ? 'round' : 'epoch'}${steps === 1 ? '' : 's'} a trial trains`;
    if (stopper.type === 'median') {
      return stopper.warmupEpochs < steps ? [] : [{ path: 'sweep.stopper.warmupEpochs', expected: `fewer than ${trains} (after its warm-up the median rule judges a trial)`, found: showFound(stopper.warmupEpochs) }];
    }
    if (stopper.type === 'asha' && stopper.minEpochs >= steps) {
      return [{ path: 'sweep.stopper.minEpochs', expected: `fewer than ${trains} (ASHA's first rung, where it first judges trials)`, found: showFound(stopper.minEpochs) }];
    }
    if (stopper.type === 'hyperband' && stopper.minEpochs * stopper.eta > steps) {
      return [{ path: 'sweep.stopper.minEpochs', expected: `a value whose minEpochs × eta (${stopper.eta}) is within ${trains}: otherwise Hyperband has only its full-training bracket, which prunes nothing`, found: showFound(stopper.minEpochs) }];
    }
    return [];
  },
};

export const SWEEP_CHECKS: readonly Check[] = [parametersWellFormed, ...OBJECTIVE_CHECKS, hasBudget, gridFits, stopperActs];
