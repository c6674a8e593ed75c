/**
 * Deleting runs and sweeps so that nothing left behind points at what is gone: a run's children (runs
 * made from it) are deleted with it or detached from it, by the caller's choice, never left dangling; a
 * sweep's trial run deleted on its own is marked in sweep.json; a whole sweep goes with every run it made.
 * What the CLI (`hone rm`) and the extension (Delete Run) both call.
 */
import { rmSync } from 'node:fs';
import { listRunIds, reconcileRun, removeRun, runDirOf, writeRunRecord, type StoredRun } from './store';
import { FINAL_STATUSES } from './store/types';
import { coordinatorOf, markTrialRunsDeleted } from './sweep/api';
import { resolveSweep } from './sweep/record';

/** What to do with runs whose parent is deleted: delete them too, or keep them with `parentRemoved` set. */
export type ChildPolicy = 'delete' | 'detach';

/** Thrown when deleting would orphan child runs and no policy was given: the caller asks the user. */
export class HasChildrenError extends Error {
  constructor(readonly children: { id: string; name: string; parent: string }[]) {
    super(`${children.length} run(s) were made from the runs to delete: ${children.map((c) => `${c.id} (${c.name}, from ${c.parent})`).join(', ')}; delete them too or detach them`);
  }
}

/**
 * Every run in the store with its record (those whose run.json reads), reconciled: a running or queued
 * run whose process died reads (and is saved) as crashed, so it is not refused as live.
 */
function allRuns(storeDir: string): (StoredRun & { id: string })[] {
  return listRunIds(storeDir).flatMap((id) => {
    const dir = runDirOf(storeDir, id);
    const record = reconcileRun(dir);
    return record ? [{ id, dir, record }] : [];
  });
}

/** `ids` and, transitively, every run made from them. */
export function withDescendants(storeDir: string, ids: string[]): string[] {
  const runs = allRuns(storeDir);
  const out = new Set(ids);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of runs) if (r.record.parent && out.has(r.record.parent) && !out.has(r.id)) (out.add(r.id), (grew = true));
  }
  return [...out];
}

export interface RemovalResult {
  removed: string[];
  detached: string[];
  notes: string[];
}

/**
 * Removes the runs `ids`. Children outside the set follow `children` (without one: HasChildrenError). A
 * trial of a sweep that is running is refused (stop the sweep first); trials of stopped or finished sweeps
 * are marked `runDeleted` in sweep.json. Live runs are refused by `removeRun`.
 */
export async function removeRuns(storeDir: string, ids: string[], children?: ChildPolicy): Promise<RemovalResult> {
  const targets = children === 'delete' ? withDescendants(storeDir, ids) : [...new Set(ids)];
  const runs = allRuns(storeDir);
  const orphans = runs.filter((r) => r.record.parent && targets.includes(r.record.parent) && !targets.includes(r.id));
  if (orphans.length && !children) throw new HasChildrenError(orphans.map((o) => ({ id: o.id, name: o.record.name, parent: o.record.parent! })));
  const live = orphans.find((o) => !FINAL_STATUSES.includes(o.record.status));
  if (live) throw new Error(`run ${live.id} (made from ${live.record.parent}) is ${live.record.status}: it cannot be detached while it runs`);
  const bySweep = new Map<string, string[]>();
  for (const r of runs.filter((x) => targets.includes(x.id) && x.record.sweep)) {
    const sweepId = r.record.sweep!.id;
    bySweep.set(sweepId, [...(bySweep.get(sweepId) ?? []), r.id]);
  }
  for (const sweepId of bySweep.keys()) {
    const sweep = safeResolveSweep(storeDir, sweepId);
    if (sweep && coordinatorOf(sweep.dir)) throw new Error(`sweep ${sweepId} is running: stop it before deleting its trials' runs`);
  }
  const result: RemovalResult = { removed: [], detached: [], notes: [] };
  for (const id of targets) {
    const { indexNote } = await removeRun(storeDir, id);
    result.removed.push(id);
    if (indexNote) result.notes.push(indexNote);
  }
  const removedAt = new Date().toISOString();
  for (const o of orphans) {
    const parent = runs.find((r) => r.id === o.record.parent)!;
    const rec = { ...o.record, parentRemoved: { id: parent.id, name: parent.record.name, removed: removedAt } };
    delete rec.parent;
    writeRunRecord(o.dir, rec);
    result.detached.push(o.id);
  }
  for (const [sweepId, runIds] of bySweep) if (safeResolveSweep(storeDir, sweepId)) await markTrialRunsDeleted(storeDir, sweepId, runIds);
  return result;
}

/** Removes sweep `ref` and every run it made (trials and interrupted attempts). Refuses a running sweep. */
export async function removeSweep(storeDir: string, ref: string): Promise<RemovalResult & { sweep: string }> {
  const { dir, record } = resolveSweep(storeDir, ref);
  if (coordinatorOf(dir)) throw new Error(`sweep ${record.id} is running: stop it first (hone sweep stop ${record.id})`);
  const runs = allRuns(storeDir).filter((r) => r.record.sweep?.id === record.id).map((r) => r.id);
  const result = await removeRuns(storeDir, runs, 'delete');
  rmSync(dir, { recursive: true, force: true });
  return { ...result, sweep: record.id };
}

function safeResolveSweep(storeDir: string, id: string) {
  try {
    return resolveSweep(storeDir, id);
  } catch {
    return undefined;
  }
}
