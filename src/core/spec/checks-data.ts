/** Semantic checks on `data`: split fractions, generator parameters, target normalisation. */
import type { Check } from './checks';
import { showFound } from './describe';
import { dataTask, guessedTaskNote } from './checks-csv';
import { LIMITS } from './limits';
import type { SpecProblem } from './types';

const EPS = 1e-6;

const splitSums: Check = {
  reads: ['data.source', 'data.split'],
  run: ({ spec }) => {
    const { train, val, test } = spec.data.split;
    if (Math.abs(train + val + test - 1) <= EPS && train > 0) return [];
    return [{ path: 'data.split', expected: 'train + val + test = 1 with train > 0', found: showFound(spec.data.split) }];
  },
};

const informativeFits: Check = {
  reads: ['data.source', 'data.informative', 'data.features'],
  run: ({ spec: { data } }) => {
    if (data.source !== 'regression' && data.source !== 'classification') return [];
    if (data.informative <= data.features) return [];
    return [{ path: 'data.informative', expected: `an integer <= features (${data.features})`, found: showFound(data.informative) }];
  },
};

/**
 * make_classification puts each class on its own hypercube vertex (2^informative of them) and deals the
 * samples out among the classes: with more classes than samples some would be left empty.
 */
const classesFit: Check = {
  reads: ['data.source', 'data.classes', 'data.informative', 'data.samples'],
  run: ({ spec: { data } }) => {
    if (data.source !== 'classification') return [];
    const out: SpecProblem[] = [];
    if (data.classes > 2 ** data.informative) {
      out.push({ path: 'data.classes', expected: `at most 2^informative = ${2 ** data.informative} classes`, found: showFound(data.classes) });
    }
    if (data.classes > data.samples) {
      out.push({ path: 'data.classes', expected: `at most samples = ${data.samples} classes, so that no class is empty`, found: showFound(data.classes) });
    }
    return out;
  },
};

/** A CSV without `data.task` has the task its loader guesses from the target column, as the run will. */
const targetNormalisation: Check = {
  reads: ['data.source', 'data.task', 'data.normalizeTarget', 'data.path', 'data.target', 'data.header'],
  run: ({ spec: { data }, baseDir }) => {
    if (!data.normalizeTarget) return [];
    const task = dataTask(data, baseDir);
    // undefined: a CSV that cannot be read, which csvLoads and the file checks report.
    if (task === 'regression' || (task === undefined && data.source === 'csv')) return [];
    const why = data.source === 'csv' ? `${guessedTaskNote(data, task)}: set data.task to "regression" for a numeric target` : '';
    return [{ path: 'data.normalizeTarget', expected: `false: only a regression target can be normalised${why}`, found: 'true' }];
  },
};

/** The generators hold every value in memory: samples × features inputs, and classes × informative centroid coordinates. */
export const generatedDataFits: Check = {
  reads: ['data.source', 'data.samples', 'data.features', 'data.classes', 'data.informative'],
  run: ({ spec: { data } }) => {
    if (data.source !== 'regression' && data.source !== 'classification') return [];
    const most = `at most ${LIMITS.dataValues} values (200 MB as float32)`;
    const out: SpecProblem[] = [];
    if (data.samples * data.features > LIMITS.dataValues) {
      out.push({ path: 'data.samples', expected: `samples × features ${most}`, found: `${data.samples} × ${data.features}` });
    }
    if (data.source === 'classification' && data.classes * data.informative > LIMITS.dataValues) {
      out.push({ path: 'data.classes', expected: `classes × informative ${most}`, found: `${data.classes} × ${data.informative}` });
    }
    return out;
  },
};

export const DATA_CHECKS: readonly Check[] = [splitSums, informativeFits, classesFit, targetNormalisation, generatedDataFits];
