import { InputError } from '../errors';
import { resolveRun } from './resolve';
import { reconcileRun } from './stale';
import type { RunRecord } from './types';

/**
 * A run by id, id prefix or name, as it is now (a stale `running` already turned `crashed`). A reference
 * that names no run, or several, is bad input (InputError: exit 2).
 */
export function findRun(storeDir: string, ref: string): { record: RunRecord; dir: string } {
  let found;
  try {
    found = resolveRun(storeDir, ref);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  return { record: reconcileRun(found.dir) ?? found.record, dir: found.dir };
}
