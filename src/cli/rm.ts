import { InputError } from '../core/errors';
import { HasChildrenError, PartialRemovalError, removeRuns, removeSweep, sweepRemoval, type ChildPolicy, type RemovalResult } from '../core/remove';
import { explainWriteError, listRunIds, refusal } from '../core/store';
import { confirm, findRun, print, warn } from './io';
import { selectRuns } from './ls';

export interface RmArgs {
  refs: string[];
  filter?: string;
  sweep?: boolean;
  yes: boolean;
  children?: ChildPolicy;
}

/** A run's folder name from a reference: its exact folder (even with a damaged run.json), else resolved. */
const idOf = (store: string, ref: string): string => (listRunIds(store).includes(ref) ? ref : findRun(store, ref).record.id);

function report(r: RemovalResult): void {
  r.removed.forEach((id) => print(`removed run ${id}`));
  r.detached.forEach((id) => print(`kept run ${id}: its parent was removed (recorded in its run.json)`));
  r.notes.forEach(warn);
}

/** Turns what the store refuses into an exit-1 error, and the rest into bad input (exit 2). */
function rethrow(e: unknown): never {
  if (refusal(e)) throw explainWriteError(e, 'the store');
  throw new InputError((e as Error).message);
}

/**
 * Runs `remove` with the policy given for children; without one, when runs were made from those to
 * delete, asks whether to delete them too (no: bad input, nothing removed).
 */
async function askingAboutChildren<T>(children: ChildPolicy | undefined, remove: (children?: ChildPolicy) => Promise<T>): Promise<T> {
  try {
    return await remove(children);
  } catch (e) {
    if (!(e instanceof HasChildrenError)) throw e;
    if (!(await confirm(`${e.message}. Delete them too?`, '--with-children (or --detach to keep them)'))) {
      throw new InputError(`${e.message}: nothing removed; use --with-children or --detach`);
    }
    return remove('delete');
  }
}

/**
 * `hone rm <run...>`, `hone rm --filter '...'` and `hone rm --sweep <sweep>` (the sweep and every run it
 * made); the last two ask first (`--yes` for scripts: without a terminal they refuse). Runs made from a
 * deleted run (or from a deleted sweep's runs, not by the sweep) are deleted with `--with-children`, kept
 * with `--detach`, and asked about otherwise.
 */
export async function rmCommand(store: string, a: RmArgs): Promise<number> {
  try {
    if (a.sweep) {
      if (a.refs.length !== 1) throw new InputError('hone rm --sweep: give one sweep id, id prefix or name');
      if (!a.yes) {
        const plan = sweepRemoval(store, a.refs[0]);
        if (!(await confirm(`Delete sweep ${plan.id} and the ${plan.runs.length} run(s) it made?`, '--yes'))) return print('nothing removed'), 0;
      }
      const r = await askingAboutChildren(a.children, (c) => removeSweep(store, a.refs[0], c));
      report(r);
      return print(`removed sweep ${r.sweep}`), 0;
    }
    if (!a.refs.length && a.filter === undefined) throw new InputError('hone rm: give run ids, prefixes or names, or --filter');
    let ids = a.refs.map((ref) => idOf(store, ref));
    if (a.filter !== undefined) {
      const matched = (await selectRuns(store, { filter: a.filter })).map((r) => r.rec.id);
      if (!matched.length) return print('no runs match the filter'), 0;
      if (!a.yes && !(await confirm(`Delete ${matched.length} run(s) matching the filter (${matched.slice(0, 5).join(', ')}${matched.length > 5 ? ', ...' : ''})?`, '--yes'))) return print('nothing removed'), 0;
      ids = [...new Set([...ids, ...matched])];
    }
    report(await askingAboutChildren(a.children, (c) => removeRuns(store, ids, c)));
    return 0;
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof PartialRemovalError) {
      report(e.done);
      rethrow(e.failure);
    }
    rethrow(e);
  }
}
