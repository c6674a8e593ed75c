/**
 * Every value a sweep can give a parameter must make a valid spec: each parameter's bounds (or each of
 * its categorical values) are set at its path, with the conditions that activate it, and the trial spec
 * is validated like a file. Runs only on a spec the schema accepted whole, and reports only problems the
 * spec without the sweep does not already have.
 */
import type { Check } from './checks';
import type { Json, SweepParameter } from './sweep-types';
import type { SpecProblem } from './types';
import { applyOverrides } from './overrides';
import { validateSpec } from './validate';
import { showFound } from './describe';
import { paramAt, parameterProblems } from './checks-sweep';
import { stepOf, topOf } from './sweep-values';
import { fromUnit } from '../sweep/space';
import { setString, withoutSweep } from './trial';

/** An inner point of a range, far from round numbers (the golden ratio's fraction), where a float is fractional. */
const INNER = 0.6180339887;

/** Values inside a stepped range tried at most: all of them up to this many, else this many evenly spread. */
const INNER_PROBES = 64;

/**
 * Values strictly inside a stepped range (an int's, or a float's with `step`): a value there can be
 * invalid although both ends are (clients that do not divide the data into shards), and the sampler
 * may draw any of them.
 */
function innerValues(p: SweepParameter & { type: 'int' | 'float' }): number[] {
  const step = stepOf(p);
  if (step === undefined) return [];
  const inner = Math.round((topOf(p) - p.min) / step) - 1;
  const n = Math.min(inner, INNER_PROBES);
  return Array.from({ length: Math.max(0, n) }, (_, i) => {
    const k = 1 + Math.floor((i * inner) / n);
    return Number((p.min + k * step).toPrecision(12));
  });
}

/**
 * The values worth trying for a parameter, each with the field of the parameter that gives it: the
 * ends of a range, each categorical value, a stepped range's inner values (reported at the parameter),
 * and for a float a value inside its range as the sampler would make it (so a float range on an
 * integer field is caught, reported at `type`).
 */
function probes(path: string, p: SweepParameter): [string, Json][] {
  if (p.type === 'categorical') return p.values.map((v, i) => [`values[${i}]`, v]);
  const ends: [string, Json][] = [['min', p.min], ['max', topOf(p)], ...innerValues(p).map((v): [string, Json] => ['', v])];
  return p.type === 'float' && p.step === undefined ? [...ends, ['type', fromUnit({ ...p, path }, INNER)]] : ends;
}

/** Assignments that activate the parameter at `path`: each condition up the chain set to its first value. */
function activators(path: string, params: Record<string, SweepParameter>): string[] {
  const sets: string[] = [];
  for (let when = params[path].when; when && sets.length < Object.keys(params).length; when = params[when.parameter]?.when) {
    sets.unshift(setString(when.parameter, when.in[0]));
  }
  return sets;
}

const key = (p: SpecProblem) => `${p.path}\u0000${p.expected}`;

const valuesMakeValidSpecs: Check = {
  reads: [''],
  run: ({ spec: { sweep }, raw, baseDir }) => {
    if (!sweep) return [];
    const base = withoutSweep(raw);
    const known = new Set(validateSpec(base, { baseDir }).problems.map(key));
    const out: SpecProblem[] = [];
    for (const [path, p] of Object.entries(sweep.parameters)) {
      if (parameterProblems(path, sweep.parameters).length) continue;
      const at = paramAt(path);
      const seen = new Set<string>();
      for (const [field, value] of probes(path, p)) {
        const over = applyOverrides(base, [...activators(path, sweep.parameters), setString(path, value)]);
        const all = [...over.problems, ...validateSpec(over.value, { baseDir }).problems].filter((q) => !known.has(key(q)));
        // An inner value reports only at a path where neither end nor an earlier inner value had a problem.
        const fresh = field ? all : all.filter((q) => !seen.has(q.path));
        for (const q of all) seen.add(q.path);
        const wrongPath = fresh.find((q) => q.path === '--set' || (q.path === path && q.expected.startsWith('no property')));
        if (wrongPath) {
          out.push({ path: at, expected: `a path into the spec: ${wrongPath.expected}`, found: showFound(path) });
          break;
        }
        for (const q of fresh) {
          const where = q.path === path ? '' : ` (at ${q.path || '(root)'})`;
          const shown = field ? showFound(value) : `${showFound(value)} (inside the range)`;
          out.push({ path: field ? `${at}.${field}` : at, expected: `a value valid at ${path}: ${q.expected}${where}`, found: q.found === showFound(value) ? shown : `${shown}, giving ${q.found}` });
        }
      }
    }
    return out;
  },
};

export const SWEEP_VALUE_CHECKS: readonly Check[] = [valuesMakeValidSpecs];
