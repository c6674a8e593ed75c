/**
 * Semantic checks that touch the disk: `data.path` must name a regular file (csv) or a folder of
 * regular files (mnist). A named pipe, socket or device there would block the run's first read forever.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Check } from './checks';
import type { SpecProblem } from './types';
import { showFound } from './describe';
import { kindOf } from '../../engine/data';
import { findMnist, mnistFolders, MNIST_FILES } from '../datasets/mnist';
import { idxCount } from '../../engine/data/idx-check';

export { MNIST_FILES };

/** What is at `file`, in words (`a regular file`, `a folder`, `a named pipe (FIFO)`), or undefined for nothing. */
function whatIs(file: string): string | undefined {
  try {
    return kindOf(statSync(file));
  } catch {
    return undefined;
  }
}

/** The loader takes `<name>.gz` or, failing that, `<name>` uncompressed: the first that exists is what it reads. */
const idxFile = (dir: string, gz: string): string => {
  const plain = join(dir, gz.replace(/\.gz$/, ''));
  return whatIs(join(dir, gz)) === undefined && whatIs(plain) !== undefined ? plain : join(dir, gz);
};

const dataPathUsable: Check = {
  reads: ['data.source', 'data.path'],
  run: ({ spec: { data }, baseDir }): SpecProblem[] => {
    if (data.source !== 'csv' && data.source !== 'mnist') return [];
    if (data.path === undefined) {
      if (data.source === 'csv' || findMnist()) return [];
      const where = mnistFolders().join(', ');
      return [{ path: 'data.path', expected: `a folder holding MNIST: none of ${where} has it (\`hone data mnist\` downloads it), or a path`, found: 'nothing' }];
    }
    const full = resolve(baseDir, data.path);
    const want = data.source === 'csv' ? 'a regular file' : 'a folder';
    const kind = whatIs(full);
    if (kind !== want) {
      const found = kind ? `${kind} at ${full}` : `${showFound(data.path)} (nothing at ${full})`;
      return [{ path: 'data.path', expected: data.source === 'csv' ? 'an existing CSV file (a regular file)' : 'an existing MNIST folder', found }];
    }
    if (data.source === 'csv') return [];
    const bad = MNIST_FILES.map((f) => [f, whatIs(idxFile(full, f))] as const).filter(([, k]) => k !== 'a regular file');
    if (bad.length === 0) return idxProblems(full);
    const missing = bad.filter(([, k]) => !k).map(([f]) => f);
    const odd = bad.filter(([, k]) => k).map(([f, k]) => `${f} is ${k}`);
    const found = [...(missing.length ? [`without ${missing.join(', ')}`] : []), ...odd].join('; ');
    return [{ path: 'data.path', expected: `a folder holding ${MNIST_FILES.join(', ')} as regular files`, found: `${full} ${found}` }];
  },
};

/** MNIST's four files by their headers and sizes (idx-check.ts): each a readable IDX file, images and labels as many. */
function idxProblems(dir: string): SpecProblem[] {
  const counts = MNIST_FILES.map((f) => idxCount(idxFile(dir, f), f.includes('images')));
  const problem = counts.find((c) => 'problem' in c);
  const [trainImages, trainLabels, testImages, testLabels] = counts.map((c) => ('count' in c ? c.count : 0));
  const found = problem && 'problem' in problem ? problem.problem
    : trainImages !== trainLabels ? `${trainImages} training images but ${trainLabels} labels`
      : testImages !== testLabels ? `${testImages} test images but ${testLabels} labels` : undefined;
  return found ? [{ path: 'data.path', expected: `a folder holding MNIST's IDX files (${MNIST_FILES.join(', ')}), readable and whole`, found }] : [];
}

export const FILE_CHECKS: readonly Check[] = [dataPathUsable];
