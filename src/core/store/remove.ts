import { renameSync, rmSync } from 'node:fs';
import { errCode } from './fs-util';
import { runDirOf } from './paths';
import { reconcileRun } from './stale';
import { dropIndexEntry } from './sync';
import { trashPath } from './trash';
import type { RunRecord } from './types';

/** `running (pid 12 on host)` for a reconciled record that is running or queued, the states no removal takes; else undefined. */
export function liveState(rec: RunRecord | undefined): string | undefined {
  return rec && (rec.status === 'running' || rec.status === 'queued') ? `${rec.status} (pid ${rec.pid ?? '?'} on ${rec.host})` : undefined;
}

/**
 * Deletes run `id`'s folder and its index entry. Refuses a run that is running or queued and whose
 * process lives (it would write into the deleted folder): stop it first. A run whose process died is
 * marked crashed on the way and can be removed.
 *
 * The folder is first renamed to `runs/.deleted-<id>-<random>` (atomic: of two concurrent removals one
 * wins, the other is told the run is gone), then deleted. Neither step needs free space, so removing runs
 * works on a full disk; the index entry is dropped when the index can be written, and `indexNote` says
 * why not otherwise (the index is a cache: the next writable sync forgets the run).
 */
export async function removeRun(storeDir: string, id: string): Promise<{ indexNote?: string }> {
  const dir = runDirOf(storeDir, id);
  const live = liveState(reconcileRun(dir));
  if (live) throw new Error(`run ${id} is ${live}; stop it first`);
  const trash = trashPath(storeDir, id);
  try {
    renameSync(dir, trash);
  } catch (e) {
    if (errCode(e) === 'ENOENT') throw new Error(`no run '${id}' in ${storeDir} (already removed?)`);
    throw e;
  }
  rmSync(trash, { recursive: true, force: true });
  try {
    await dropIndexEntry(storeDir, id);
    return {};
  } catch (e) {
    return { indexNote: `the index was not updated (${(e as Error).message}); it forgets the run at its next update` };
  }
}
