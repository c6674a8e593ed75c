/**
 * Semantic checks on `robustness`: data the attack space is defined for, eps within that space, attacks
 * that support the norm, training options that apply to the method. Also the per-epoch metric names
 * adversarial training adds (for early stopping; an evaluation's final ones are in stage-metrics.ts) and
 * the defaults that depend on other fields.
 */
import type { Check } from './checks';
import type { SpecProblem } from './types';
import type { AttackName, RobustnessSpec } from './robust-types';
import schema from '../../../schema/hone.schema.json';
import { epsList } from './robust-types';
import { inputShapeOf, taskOf } from './shape';
import { describeEnum, showFound } from './describe';
import { inputRange } from '../robust/space';
import { ATTACK_INFO, ATTACK_NAMES } from '../robust/catalog';

/** Per-epoch metrics adversarial training adds. */
export const robustEpochMetrics = (r: RobustnessSpec | undefined): string[] => (r?.train ? ['val_robust_accuracy'] : []);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema's default ensemble (filled by ajv when `attacks` is absent). */
const DEFAULT_ENSEMBLE: Obj[] = schema.properties.robustness.properties.evaluate.properties.attacks.default;
const DEFAULT_ATTACKS = JSON.stringify(DEFAULT_ENSEMBLE);
/** The attacks of the default ensemble that support `norm`. */
const defaultFor = (norm: string) => DEFAULT_ENSEMBLE.filter((a) => ATTACK_INFO[a.attack as AttackName]?.norms.includes(norm as 'l2'));

/**
 * Fills `robustness` defaults that depend on other fields: PGD's stepSize from its steps, training's
 * alpha, and for norm l2 the default ensemble without Square (linf only).
 */
export function fillRobustDefaults(spec: Obj): void {
  const r = spec.robustness;
  if (!isObj(r)) return;
  const ev = r.evaluate;
  if (isObj(ev) && ev.norm === 'l2' && JSON.stringify(ev.attacks) === DEFAULT_ATTACKS) ev.attacks = defaultFor('l2');
  if (isObj(ev) && Array.isArray(ev.attacks)) {
    for (const a of ev.attacks) {
      if (isObj(a) && a.attack === 'pgd' && a.stepSize === undefined && Number.isInteger(a.steps) && (a.steps as number) > 0) a.stepSize = 2.5 / (a.steps as number);
    }
  }
  const t = r.train;
  // Capped at the schema's maximum, 1 (the attack space's width): a larger step only ends at the ball's edge too.
  if (isObj(t) && t.alpha === undefined && typeof t.eps === 'number' && t.eps > 0) {
    if (t.method === 'fast') t.alpha = Math.min(1, 1.25 * t.eps);
    else if (Number.isInteger(t.steps) && (t.steps as number) > 0) t.alpha = Math.min(1, (2.5 * t.eps) / (t.steps as number));
  }
}

/**
 * A copy of a validated `robustness.evaluate` with the defaults that depend on other fields taken out again
 * (PGD's stepSize where it is 2.5 / steps; the l2 ensemble, the default without Square), so that a spec
 * built on it and then changed (`hone attack --set ...steps=200`, `--norm linf`) gets them filled for its
 * own values rather than keeping the old ones.
 */
export function unfillEvaluateDefaults<T extends object>(ev: T): T {
  const { attacks, ...rest } = ev as Obj;
  if (!Array.isArray(attacks)) return ev;
  if (JSON.stringify(attacks) === JSON.stringify(defaultFor('l2'))) return rest as T;
  const stale = (a: unknown) => isObj(a) && a.attack === 'pgd' && typeof a.steps === 'number' && a.stepSize === 2.5 / a.steps;
  return { ...ev, attacks: attacks.map((a) => (stale(a) ? Object.fromEntries(Object.entries(a as Obj).filter(([k]) => k !== 'stepSize')) : a)) };
}

/** True when the user wrote `robustness.train.<key>`, as opposed to a filled default. */
function wrote(raw: unknown, key: string): boolean {
  const t = ((raw as Obj | null)?.robustness as Obj | undefined)?.train;
  return isObj(t) && t[key] !== undefined;
}

const attackableData: Check = {
  reads: ['robustness', 'data.source', 'data.task'],
  run: ({ spec: { robustness, data } }) => {
    if (!robustness || (inputRange(data) && taskOf(data) === 'classification')) return [];
    const task = taskOf(data) === 'regression' ? ' (a regression task: there is no class to flip)' : '';
    return [{ path: 'robustness', expected: 'a classifier of image data whose raw input range is known (data.source mnist or digits), which defines the [0, 1] attack space', found: `data.source ${showFound(data.source)}${task}` }];
  },
};

const epsInSpace: Check = {
  reads: ['robustness.evaluate', 'data.source'],
  run: ({ spec: { robustness, data } }) => {
    const ev = robustness?.evaluate;
    const shape = inputShapeOf(data);
    if (!ev || !shape) return [];
    const max = ev.norm === 'linf' ? 1 : Math.sqrt(shape.reduce((a, b) => a * b, 1));
    const why = ev.norm === 'linf' ? 'linf: the attack space is [0, 1], and eps 1 already allows any input' : `l2: the diameter of [0, 1]^${shape.reduce((a, b) => a * b, 1)}`;
    return epsList(ev).flatMap((e, i): SpecProblem[] => (e <= max ? [] : [{
      path: Array.isArray(ev.eps) ? `robustness.evaluate.eps[${i}]` : 'robustness.evaluate.eps',
      expected: `an eps of at most ${Number(max.toPrecision(6))} (${why})`,
      found: showFound(e),
    }]));
  },
};

const attacksSupportNorm: Check = {
  reads: ['robustness.evaluate'],
  run: ({ spec: { robustness } }) => {
    const ev = robustness?.evaluate;
    if (!ev) return [];
    const able = ATTACK_NAMES.filter((n) => ATTACK_INFO[n].norms.includes(ev.norm));
    return ev.attacks.flatMap((a, i): SpecProblem[] => (ATTACK_INFO[a.attack].norms.includes(ev.norm) ? [] : [{
      path: `robustness.evaluate.attacks[${i}].attack`,
      expected: `an attack that supports norm ${ev.norm} (robustness.evaluate.norm): ${describeEnum(able)}`,
      found: showFound(a.attack),
    }]));
  },
};

/** PGD without a random start runs the same steps from the same point on each restart: restarts would repeat it, at their cost. */
const restartsDiffer: Check = {
  reads: ['robustness.evaluate'],
  run: ({ spec: { robustness } }) => (robustness?.evaluate?.attacks ?? []).flatMap((a, i): SpecProblem[] => (a.attack === 'pgd' && !a.randomStart && a.restarts > 1 ? [{
    path: `robustness.evaluate.attacks[${i}].restarts`,
    expected: 'restarts 1 with randomStart false (each restart would start from the input and take the same steps), or randomStart true',
    found: showFound(a.restarts),
  }] : [])),
};

const trainOptionsApply: Check = {
  reads: ['robustness.train'],
  run: ({ spec: { robustness }, raw }) => {
    const t = robustness?.train;
    if (!t) return [];
    const out: SpecProblem[] = [];
    if (t.method !== 'trades' && wrote(raw, 'beta')) out.push({ path: 'robustness.train.beta', expected: `no beta with method ${t.method} (only trades uses it)`, found: showFound(t.beta) });
    if (t.method === 'fast' && wrote(raw, 'steps')) out.push({ path: 'robustness.train.steps', expected: 'no steps with method fast (one FGSM step from a random start)', found: showFound(t.steps) });
    return out;
  },
};

const keepBestOwnsEarlyStopping: Check = {
  reads: ['robustness.train', 'train.earlyStopping'],
  run: ({ spec: { robustness, train } }) => (robustness?.train?.keepBest && train.earlyStopping ? [{
    path: 'train.earlyStopping',
    expected: 'no earlyStopping while robustness.train.keepBest is true (it keeps the epoch with the best val_robust_accuracy), or keepBest false',
    found: showFound(train.earlyStopping),
  }] : []),
};

const trainNeedsValidation: Check = {
  reads: ['robustness.train', 'data.split'],
  run: ({ spec: { robustness, data } }) => (robustness?.train && data.split.val === 0 ? [{
    path: 'robustness.train',
    expected: 'a validation split (data.split.val > 0): adversarial training measures val_robust_accuracy on it each epoch',
    found: `data.split.val = ${data.split.val}`,
  }] : []),
};

/** MNIST's test part is its own file; any other source's test part is cut from its samples by data.split. */
const evaluateNeedsTest: Check = {
  reads: ['robustness.evaluate', 'data.source', 'data.split'],
  run: ({ spec: { robustness, data } }) => (robustness?.evaluate && data.source !== 'mnist' && data.split.test === 0 ? [{
    path: 'robustness.evaluate',
    expected: 'a test split (data.split.test > 0): the evaluation attacks the first `points` test samples',
    found: `data.split.test = ${data.split.test}`,
  }] : []),
};

export const ROBUST_CHECKS: readonly Check[] = [attackableData, epsInSpace, attacksSupportNorm, restartsDiffer, trainOptionsApply, keepBestOwnsEarlyStopping, trainNeedsValidation, evaluateNeedsTest];
