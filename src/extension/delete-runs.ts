/** Delete Run… and Delete Sweep…: what they ask before `removeRuns` deletes runs that others were made from. */
import * as vscode from 'vscode';
import { HasChildrenError, removeRuns, withDescendants, type ChildPolicy } from '../core/remove';
import { readSettings } from './settings';
import { isActive } from './tree-model';
import type { CommandDeps } from './commands';

/**
 * Asks `question` (modal). With `children` (names of runs made `from` what is deleted, 'it' or 'them', that
 * the deletion does not itself take) it offers to delete them too or keep them detached. Undefined when the user cancels,
 * else the policy for the children (none when there are none).
 */
export async function confirmDeletion(question: string, detail: string, children: string[], from: string): Promise<{ policy?: ChildPolicy } | undefined> {
  if (!children.length) return (await vscode.window.showWarningMessage(question, { modal: true, detail }, 'Delete')) === 'Delete' ? {} : undefined;
  const del = 'Delete Children Too';
  const keep = 'Keep Them (Detach)';
  // Keeping the children is the default (the first button): deleting more than was asked is the riskier choice.
  const pick = await vscode.window.showWarningMessage(question, {
    modal: true,
    detail: `${detail}\n\n${children.length === 1 ? 'A run was' : `${children.length} runs were`} made from ${from}: ${children.join(', ')}. Delete ${children.length === 1 ? 'it' : 'them'} too, or keep ${children.length === 1 ? 'it' : 'them'} (recording that the parent was deleted).`,
  }, keep, del);
  return pick ? { policy: pick === del ? 'delete' : 'detach' } : undefined;
}

/**
 * Delete Run: asks once (with children: delete them too, or keep them detached), then `removeRuns`. Runs
 * the tree shows running or queued are left out up front (a multi-selection may hold them): removeRuns
 * would refuse the whole deletion for them.
 */
export async function deleteRuns(deps: CommandDeps, selected: string[]): Promise<void> {
  const store = readSettings().storeDir;
  const byId = new Map(deps.tree.records.map((r) => [r.id, r]));
  const name = (id: string) => byId.get(id)?.name ?? id;
  const active = selected.filter((id) => byId.has(id) && isActive(byId.get(id)!));
  const ids = selected.filter((id) => !active.includes(id));
  const notDeleted = active.length ? `Not deleted, still running or queued (stop them first): ${active.map(name).join(', ')}.` : '';
  if (!ids.length) return void vscode.window.showWarningMessage(`Hone: ${notDeleted}`);
  const children = withDescendants(store, ids).filter((id) => !ids.includes(id));
  const what = ids.length === 1 ? `run ${name(ids[0])}` : `${ids.length} runs`;
  const answer = await confirmDeletion(`Delete ${what} and its files?`, [ids.map(name).join(', '), notDeleted].filter(Boolean).join('\n\n'), children.map(name), ids.length === 1 ? 'it' : 'them');
  if (!answer) return;
  try {
    const r = await removeRuns(store, ids, answer.policy);
    deps.log.appendLine(`deleted ${r.removed.length} run(s)${r.detached.length ? `, detached ${r.detached.length}` : ''}: ${r.removed.join(', ')}`);
  } catch (e) {
    void vscode.window.showErrorMessage(`Hone: ${e instanceof HasChildrenError ? 'runs were made from these meanwhile; try again' : (e as Error).message}`);
  }
  await deps.refresh();
}
