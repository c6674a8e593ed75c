/**
 * Deleting runs and sweeps so that nothing left behind points at what is gone: a run's children (runs
 * made from it) are deleted with it or detached from it, by the caller's choice, never left dangling; a
 * sweep's trial run deleted on its own is marked in sweep.json; a whole sweep goes with every run it made,
 * and the runs made from those (not by the sweep) are deleted or detached like any run's children.
 * What the CLI (`hone rm`) and the extension (Delete Run) both call.
 */
import { rmSync } from 'node:fs';
import { listRunIds, reconcileRun, removeRun, runDirOf, writeRunRecord, type StoredRun } from './store';
import { liveState } from './store/remove';
import { storeOption } from './store/store-option';
import { markTrialRunsDeleted } from './sweep/api';
import { coordinatorOf } from './sweep/coordinator-lock';
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
  return descendants(allRuns(storeDir), ids);
}

function descendants(runs: (StoredRun & { id: string })[], ids: string[]): string[] {
  const out = new Set(ids);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of runs) if (r.record.parent && out.has(r.record.parent) && !out.has(r.id)) (out.add(r.id), (grew = true));
  }
  return [...out];
}

/**
 * `ids` with every run before the one it was made from (deepest lineage first), so that a removal that
 * stops partway has only removed runs whose children are already gone: it never leaves a dangling parent.
 */
function childrenFirst(runs: (StoredRun & { id: string })[], ids: string[]): string[] {
  const parentOf = new Map(runs.map((r) => [r.id, r.record.parent]));
  const depth = (id: string) => {
    let d = 0;
    // Bounded by the number of runs: a hand-edited cycle of parents cannot loop forever.
    for (let p = parentOf.get(id); p && d <= runs.length; p = parentOf.get(p)) d++;
    return d;
  };
  return [...ids].sort((a, b) => depth(b) - depth(a));
}

export interface RemovalResult {
  removed: string[];
  detached: string[];
  notes: string[];
}

/** A removal that failed after removing some runs: `done` is what it removed and detached before `failure`. */
export class PartialRemovalError extends Error {
  constructor(readonly done: RemovalResult, readonly failure: Error) {
    super(`${failure.message} (removed before that: ${done.removed.join(', ')}${done.detached.length ? `; detached: ${done.detached.join(', ')}` : ''})`);
  }
}

/**
 * Removes the runs `ids`. Children outside the set follow `children` (without one: HasChildrenError). A
 * trial of a sweep that is running is refused (stop the sweep first); trials of stopped or finished sweeps
 * are marked `runDeleted` in sweep.json. A running or queued run among those to remove or detach refuses
 * the whole removal before anything is removed. Should a removal still fail (a run deleted meanwhile, a
 * folder that cannot be renamed), the runs removed before it keep the store consistent (their children
 * detached, their trials marked) and PartialRemovalError says what they were.
 */
export async function removeRuns(storeDir: string, ids: string[], children?: ChildPolicy): Promise<RemovalResult> {
  const runs = allRuns(storeDir);
  const targets = children === 'delete' ? descendants(runs, ids) : [...new Set(ids)];
  const orphans = runs.filter((r) => r.record.parent && targets.includes(r.record.parent) && !targets.includes(r.id));
  const live = runs.filter((r) => (targets.includes(r.id) || orphans.includes(r)) && liveState(r.record));
  if (live.length) {
    const what = live.map((r) => `run ${r.id}${r.record.parent && targets.includes(r.record.parent) ? ` (made from ${r.record.parent})` : ''} is ${liveState(r.record)}`);
    throw new Error(`${what.join('; ')}: stop ${live.length > 1 ? 'them' : 'it'} first (nothing was removed)`);
  }
  if (orphans.length && !children) throw new HasChildrenError(orphans.map((o) => ({ id: o.id, name: o.record.name, parent: o.record.parent! })));
  const sweepOf = new Map(runs.flatMap((r) => (r.record.sweep ? [[r.id, r.record.sweep.id] as const] : [])));
  for (const sweepId of new Set(targets.flatMap((id) => sweepOf.get(id) ?? []))) {
    const sweep = safeResolveSweep(storeDir, sweepId);
    if (sweep && coordinatorOf(sweep.dir)) throw new Error(`sweep ${sweepId} is running: stop it before deleting its trials' runs`);
  }
  const result: RemovalResult = { removed: [], detached: [], notes: [] };
  let failure: Error | undefined;
  for (const id of childrenFirst(runs, targets)) {
    try {
      const { indexNote } = await removeRun(storeDir, id);
      result.removed.push(id);
      if (indexNote) result.notes.push(indexNote);
    } catch (e) {
      failure = e as Error;
      break;
    }
  }
  const removedAt = new Date().toISOString();
  for (const o of orphans.filter((r) => result.removed.includes(r.record.parent!))) {
    const id = o.record.parent!;
    // A parent whose run.json could not be read (removed by its folder name) has no name to keep: its id stands for it.
    const name = runs.find((r) => r.id === id)?.record.name ?? id;
    const rec = { ...o.record, parentRemoved: { id, name, removed: removedAt } };
    delete rec.parent;
    writeRunRecord(o.dir, rec);
    result.detached.push(o.id);
  }
  const bySweep = new Map<string, string[]>();
  for (const id of result.removed) {
    const sweepId = sweepOf.get(id);
    if (sweepId) bySweep.set(sweepId, [...(bySweep.get(sweepId) ?? []), id]);
  }
  for (const [sweepId, runIds] of bySweep) if (safeResolveSweep(storeDir, sweepId)) await markTrialRunsDeleted(storeDir, sweepId, runIds);
  if (failure) throw result.removed.length ? new PartialRemovalError(result, failure) : failure;
  return result;
}

/**
 * What deleting sweep `ref` takes: `runs`, the runs it made (trials and interrupted attempts), and `others`,
 * the runs made from those (a compressed trial, an evaluation) that the sweep did not make.
 */
export function sweepRemoval(storeDir: string, ref: string): { dir: string; id: string; runs: string[]; others: string[] } {
  const { dir, record } = resolveSweep(storeDir, ref);
  const all = allRuns(storeDir);
  const runs = all.filter((r) => r.record.sweep?.id === record.id).map((r) => r.id);
  return { dir, id: record.id, runs, others: descendants(all, runs).filter((id) => !runs.includes(id)) };
}

/**
 * Removes sweep `ref` and every run it made. Runs made from those that the sweep did not make follow
 * `children`, as for `removeRuns` (without one: HasChildrenError). Refuses a running sweep.
 */
export async function removeSweep(storeDir: string, ref: string, children?: ChildPolicy): Promise<RemovalResult & { sweep: string }> {
  const { dir, id, runs } = sweepRemoval(storeDir, ref);
  if (coordinatorOf(dir)) throw new Error(`sweep ${id} is running: stop it first (hone sweep stop ${id}${storeOption(storeDir)})`);
  const result = await removeRuns(storeDir, runs, children);
  rmSync(dir, { recursive: true, force: true });
  return { ...result, sweep: id };
}

function safeResolveSweep(storeDir: string, id: string) {
  try {
    return resolveSweep(storeDir, id);
  } catch {
    return undefined;
  }
}
