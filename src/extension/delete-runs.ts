/** Delete Run…: what it asks before `removeRuns` deletes runs that others were made from. */
import * as vscode from 'vscode';
import { HasChildrenError, removeRuns, withDescendants, type ChildPolicy } from '../core/remove';
import { readSettings } from './settings';
import type { CommandDeps } from './commands';

/** Delete Run: asks once (with children: delete them too, or keep them detached), then `removeRuns`. */
export async function deleteRuns(deps: CommandDeps, ids: string[]): Promise<void> {
  const store = readSettings().storeDir;
  const byId = new Map(deps.tree.records.map((r) => [r.id, r]));
  const names = ids.map((id) => byId.get(id)?.name ?? id);
  const children = withDescendants(store, ids).filter((id) => !ids.includes(id));
  const what = ids.length === 1 ? `run ${names[0]}` : `${ids.length} runs`;
  let policy: ChildPolicy | undefined;
  if (children.length) {
    const del = 'Delete Children Too';
    const keep = 'Keep Them (Detach)';
    // Keeping the children is the default (the first button): deleting more than was asked is the riskier choice.
    const pick = await vscode.window.showWarningMessage(`Delete ${what} and its files?`, {
      modal: true,
      detail: `${children.length} run(s) were made from it: ${children.map((id) => byId.get(id)?.name ?? id).join(', ')}. Delete them too, or keep them (they then record that their parent was deleted).`,
    }, keep, del);
    if (!pick) return;
    policy = pick === del ? 'delete' : 'detach';
  } else if ((await vscode.window.showWarningMessage(`Delete ${what} and its files?`, { modal: true, detail: names.join(', ') }, 'Delete')) !== 'Delete') return;
  try {
    const r = await removeRuns(store, ids, policy);
    deps.log.appendLine(`deleted ${r.removed.length} run(s)${r.detached.length ? `, detached ${r.detached.length}` : ''}: ${r.removed.join(', ')}`);
  } catch (e) {
    void vscode.window.showErrorMessage(`Hone: ${e instanceof HasChildrenError ? 'runs were made from these meanwhile; try again' : (e as Error).message}`);
  }
  await deps.refresh();
}

