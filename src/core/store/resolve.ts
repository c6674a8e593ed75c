import { readdirSync } from 'node:fs';
import { errCode } from './fs-util';
import { isStoreId, runDirOf, runsDirOf } from './paths';
import { loadRunRecord, readRunRecord, type StoredRun } from './record';

/** A run found by `resolveRun`. */
export interface ResolvedRun extends StoredRun {
  id: string;
}

/**
 * Folder names under `<storeDir>/runs` that can be run ids, sorted (oldest first, since ids start with
 * their time). Other folders (`backup copy`, hidden ones) are not runs and are left out.
 */
export function listRunIds(storeDir: string): string[] {
  try {
    return readdirSync(runsDirOf(storeDir), { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && isStoreId(d.name))
      .map((d) => d.name)
      .sort();
  } catch (e) {
    if (errCode(e) === 'ENOENT') return [];
    throw e;
  }
}

/** Every run with a readable run.json, newest first. */
function listRuns(storeDir: string): ResolvedRun[] {
  return listRunIds(storeDir).reverse().flatMap((id) => {
    const dir = runDirOf(storeDir, id);
    const record = readRunRecord(dir);
    return record ? [{ id, dir, record }] : [];
  });
}

const describe = (r: ResolvedRun): string => `  ${r.id}  ${r.record.name}  (${r.record.status})`;

/**
 * Finds a run by exact id, else by unique id prefix or unique run name (both kinds of match count
 * together, so `ref` never silently picks one of several). Throws when nothing or several runs match;
 * the message lists the candidates (or the latest runs when nothing matched).
 */
export function resolveRun(storeDir: string, ref: string): ResolvedRun {
  const ids = listRunIds(storeDir);
  if (ids.includes(ref)) {
    const loaded = loadRunRecord(runDirOf(storeDir, ref));
    if ('problem' in loaded) throw new Error(`run ${ref} cannot be read: ${loaded.problem}`);
  }
  const runs = listRuns(storeDir);
  const exact = runs.find((r) => r.id === ref);
  if (exact) return exact;
  const matches = runs.filter((r) => r.id.startsWith(ref) || r.record.name === ref);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new Error(`'${ref}' matches ${matches.length} runs; use a longer id prefix:\n${matches.map(describe).join('\n')}`);
  }
  const shown = runs.slice(0, 10);
  const known = shown.length ? `latest runs:\n${shown.map(describe).join('\n')}` : `no runs in ${storeDir}`;
  throw new Error(`no run matches '${ref}'; ${known}`);
}
