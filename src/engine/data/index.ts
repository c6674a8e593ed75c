import { mnistDir } from '../../core/datasets';
import { isAbsolute, resolve } from 'node:path';
import type { DataSpec, Normalize } from '../../core/spec/types';
import { derive } from '../../core/rng';
import type { Dataset, Part, Task } from './types';
import { makeRegression } from './regression';
import { makeClassification } from './classification';
import { loadDigits } from './digits';
import { loadMnist } from './mnist';
import { loadCsv } from './csv';
import { snippet } from './read';
import { splitCounts, splitPart, permutation, takeRows } from './split';
import { applyNormalizer, applyTarget, fitNormalizer, fitTarget } from './normalize';

export type { Dataset, Part, Task } from './types';
export { makeRegression, type RegressionSamples } from './regression';
export { makeClassification } from './classification';
export { loadDigits, findBundledData, DIGITS_FILE } from './digits';
export { loadMnist, parseIdxImages, parseIdxLabels, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './mnist';
export { loadCsv, scanCsv, csvSamples, type CsvSamples } from './csv';
export { parseCsv, parseNumber } from './csv-parse';
export { DataError, kindOf, readDataFile, readDataPrefix, readRegularFile } from './read';
export { splitCounts, splitPart, permutation, takeRows } from './split';
export { fitNormalizer, applyNormalizer, fitTarget, applyTarget, unscaleTarget, type Normalizer } from './normalize';

/** Loaded samples before normalisation: the three parts and what they are. */
interface Loaded {
  parts: { train: Part; val: Part; test: Part };
  task: Task;
  inputShape: number[];
  classes: number;
  /** A CSV classification target's labels, by class index. */
  labels?: string[];
  /** How the description names the source, e.g. `csv data/iris.csv`. */
  name: string;
}

/** MNIST: the official test set is the test part (split.test is ignored); val comes from the training images. */
function loadMnistParts(spec: Extract<DataSpec, { source: 'mnist' }>, seed: number, dir: string): Loaded {
  const m = loadMnist(dir, spec.limit);
  const c = splitCounts(m.train.n, { train: spec.split.train, val: spec.split.val, test: 0 });
  const idx = permutation(m.train.n, derive(seed, 'split'));
  const size = m.rows * m.cols;
  const parts = { train: takeRows(m.train, idx.subarray(0, c.train), size), val: takeRows(m.train, idx.subarray(c.train), size), test: m.test };
  return { parts, task: 'classification', inputShape: [m.rows, m.cols, 1], classes: 10, name: `mnist ${dir}` };
}

function load(spec: DataSpec, runSeed: number, baseDir: string): Loaded {
  const seed = spec.seed ?? runSeed;
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  const gen = derive(seed, 'data', spec.source);
  switch (spec.source) {
    case 'regression': {
      const s = makeRegression(spec, gen);
      return { parts: splitPart(s, spec.split, seed), task: 'regression', inputShape: [spec.features], classes: 0, name: 'regression' };
    }
    case 'classification': {
      const parts = splitPart(makeClassification(spec, gen), spec.split, seed);
      return { parts, task: 'classification', inputShape: [spec.features], classes: spec.classes, name: 'classification' };
    }
    case 'digits':
      return { parts: splitPart(loadDigits(), spec.split, seed), task: 'classification', inputShape: [8, 8, 1], classes: 10, name: 'digits' };
    case 'mnist':
      return loadMnistParts(spec, seed, mnistDir(spec.path, baseDir));
    case 'csv': {
      const c = loadCsv(at(spec.path), spec.target, spec.task, spec.header);
      const parts = splitPart(c.part, spec.split, seed);
      const labels = c.task === 'classification' ? { labels: c.labels } : {};
      return { parts, task: c.task, inputShape: [c.features.length], classes: c.classes, ...labels, name: `csv ${spec.path}` };
    }
  }
}

/** Labels for a log line, by class index: the first 10, each a short escaped snippet. */
function labelList(labels: string[]): string {
  const more = labels.length > 10 ? `, ... (${labels.length - 10} more)` : '';
  return labels.slice(0, 10).map((l) => snippet(l)).join(', ') + more;
}

function describe(l: Loaded, normalize: Normalize, targetNormalized: boolean): string {
  const { train, val, test } = l.parts;
  const shape = l.inputShape.length === 1 ? `${l.inputShape[0]} features` : l.inputShape.join('x');
  const kind = l.task === 'classification' ? `${l.classes} classes${l.labels ? ` (labels ${labelList(l.labels)})` : ''}` : 'regression';
  const target = targetNormalized ? ', target standardised' : '';
  return `${l.name}: ${train.n} train / ${val.n} val / ${test.n} test, ${shape}, ${kind}, normalize=${normalize}${target}`;
}

/**
 * Loads the data a spec describes, generates and splits it with sub-seeds of its own `seed` (data.seed),
 * else of the run's `seed`, and normalises inputs with statistics from the training part only. With
 * `normalizeTarget` on a regression task the targets of all three parts are standardised by the training
 * mean/std, recorded in `target`. Relative paths are resolved against `baseDir` (the spec file's folder).
 */
export function loadDataset(spec: DataSpec, seed: number, baseDir: string): Dataset {
  const l = load(spec, seed, baseDir);
  let { train, val, test } = l.parts;
  if (spec.normalize !== 'none') {
    const norm = fitNormalizer(spec.normalize, train, l.inputShape.reduce((a, b) => a * b, 1));
    [train, val, test] = [train, val, test].map((p) => applyNormalizer(p, norm));
  }
  let target: Dataset['target'];
  if (spec.normalizeTarget && l.task === 'regression') {
    const t = fitTarget(train);
    [train, val, test] = [train, val, test].map((p) => applyTarget(p, t));
    target = t;
  }
  return {
    task: l.task,
    inputShape: l.inputShape,
    classes: l.classes,
    train,
    val,
    test,
    ...(l.labels ? { labels: l.labels } : {}),
    ...(target ? { target } : {}),
    description: describe(l, spec.normalize, target !== undefined),
  };
}
