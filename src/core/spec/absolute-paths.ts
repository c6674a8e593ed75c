import { isAbsolute, resolve } from 'node:path';
import type { Spec } from './types';

/**
 * The spec with its data path made absolute against `baseDir` (the spec file's folder), so the snapshot
 * kept in run.json means the same thing wherever the run is re-read or re-run from.
 */
export function withAbsolutePaths(spec: Spec, baseDir: string): Spec {
  if (!('path' in spec.data) || isAbsolute(spec.data.path)) return spec;
  return { ...spec, data: { ...spec.data, path: resolve(baseDir, spec.data.path) } };
}
