import { existsSync, rmSync } from 'node:fs';
import { runDirOf } from './paths';
import { reconcileRun } from './stale';
import { dropIndexEntry } from './sync';

/**
 * Deletes run `id`'s folder and its index entry. Refuses a run that is running or queued and not stale
 * (its worker or coordinator would write into the deleted folder): stop it first. A run whose process
 * died is marked crashed on the way and can be removed.
 */
export async function removeRun(storeDir: string, id: string): Promise<void> {
  const dir = runDirOf(storeDir, id);
  if (!existsSync(dir)) throw new Error(`no run '${id}' in ${storeDir}`);
  const rec = reconcileRun(dir);
  if (rec && (rec.status === 'running' || rec.status === 'queued')) {
    throw new Error(`run ${id} is ${rec.status} (pid ${rec.pid ?? '?'} on ${rec.host}); stop it first`);
  }
  rmSync(dir, { recursive: true, force: true });
  await dropIndexEntry(storeDir, id);
}
