/** Semantic checks that touch the disk: data files named by `data.path` must exist. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Check } from './checks';
import { showFound } from './describe';

/** The four gz files of the MNIST distribution (LeCun et al. 1998). */
export const MNIST_FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
] as const;

function kindOf(file: string): 'file' | 'folder' | undefined {
  if (!existsSync(file)) return undefined;
  return statSync(file).isDirectory() ? 'folder' : 'file';
}

const dataPathExists: Check = {
  reads: ['data.source', 'data.path'],
  run: ({ spec: { data }, baseDir }) => {
    if (data.source !== 'csv' && data.source !== 'mnist') return [];
    const full = resolve(baseDir, data.path);
    const want = data.source === 'csv' ? 'file' : 'folder';
    const kind = kindOf(full);
    if (kind !== want) {
      const found = kind ? `a ${kind} at ${full}` : `${showFound(data.path)} (no such ${want}: ${full})`;
      return [{ path: 'data.path', expected: `an existing ${data.source === 'csv' ? 'CSV file' : 'MNIST folder'}`, found }];
    }
    if (data.source === 'csv') return [];
    const missing = MNIST_FILES.filter((f) => kindOf(resolve(full, f)) !== 'file');
    if (missing.length === 0) return [];
    return [{ path: 'data.path', expected: `a folder holding ${MNIST_FILES.join(', ')}`, found: `${full} without ${missing.join(', ')}` }];
  },
};

export const FILE_CHECKS: readonly Check[] = [dataPathExists];
