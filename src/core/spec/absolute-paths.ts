import { isAbsolute, resolve } from 'node:path';
import { findMnist } from '../datasets/mnist';
import type { Spec } from './types';

/**
 * The spec with its data path made absolute against `baseDir` (the spec file's folder), so the snapshot
 * kept in run.json means the same thing wherever the run is re-read or re-run from. MNIST without a
 * path gets the folder it will be read from, so the run records which copy it used.
 */
export function withAbsolutePaths(spec: Spec, baseDir: string): Spec {
  const data = spec.data;
  if (data.source === 'mnist' && data.path === undefined) {
    const found = findMnist();
    return found ? { ...spec, data: { ...data, path: found } } : spec;
  }
  if (!('path' in data) || data.path === undefined || isAbsolute(data.path)) return spec;
  return { ...spec, data: { ...data, path: resolve(baseDir, data.path) } };
}
