import { readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { runsDirOf } from './paths';

/**
 * Prefix of a run folder being deleted: `removeRun` renames `runs/<id>` to `runs/.deleted-<id>-<random>`
 * before deleting it, so no reader ever sees half a run. Listings skip dot-folders.
 */
const TRASH = '.deleted-';

export const trashPath = (storeDir: string, id: string): string =>
  join(runsDirOf(storeDir), `${TRASH}${id}-${randomBytes(4).toString('hex')}`);

/** Deletes what interrupted removals left in `runs/` (a process killed between rename and delete). */
export function sweepTrash(storeDir: string): void {
  let names: string[];
  try {
    names = readdirSync(runsDirOf(storeDir));
  } catch {
    return;
  }
  for (const n of names) if (n.startsWith(TRASH)) rmSync(join(runsDirOf(storeDir), n), { recursive: true, force: true });
}
