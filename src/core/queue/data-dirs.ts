/**
 * Which data files a queue job may make an agent read. A job names its data by an absolute path on the
 * coordinator's machine, and the agent reads that path on its own disk: a job could otherwise name any
 * file the agent's user can read (a CSV error quotes the file's first line back into the run's message,
 * which the coordinator records). So an agent reads data files only inside the folders its owner gave it
 * (`hone agent --data-dir DIR`, repeatable) and its own MNIST folders (core/datasets/mnist.ts), with
 * symbolic links resolved first, so a link inside an allowed folder cannot lead out of it.
 */
import { realpathSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { relativeInside } from '../store/fs-util';
import { mnistFolders } from '../datasets/mnist';
import { isObject, refuse } from './job';

/** The path with its symbolic links resolved, as far as it exists (a missing file is judged by its folder's real path). */
function real(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = resolve(path, '..');
    return parent === path ? path : resolve(real(parent), relative(parent, path));
  }
}

/** Whether `path` is `dir` or under it: `..` as a whole first segment leads out, `..data.csv` does not. */
/** The folders a job's data may come from: `dataDirs` (the agent's --data-dir) and this machine's MNIST folders. */
export const allowedDataDirs = (dataDirs: readonly string[]): string[] => [...dataDirs.map((d) => resolve(d)), ...mnistFolders()];

/**
 * Refuses a job whose data file (`data.path` of its spec) is outside every folder of `allowed`
 * (allowedDataDirs). It takes the spec as the job sent it, to run before validateJob: the spec's limit
 * checks read a CSV's rows, and a refusal of a model too large for the file would tell its columns.
 * A path that is not a string is left to validateJob.
 */
export function checkDataPath(spec: unknown, allowed: readonly string[]): void {
  const data = isObject(spec) ? spec.data : undefined;
  const path = isObject(data) && typeof data.path === 'string' ? data.path : undefined;
  if (path === undefined) return;
  const file = real(path);
  if (allowed.some((dir) => relativeInside(real(dir), file) !== undefined)) return;
  throw refuse('.spec.data.path', `a file inside this agent's data folders (${allowed.join(', ')}; hone agent --data-dir DIR adds one)`, path);
}
