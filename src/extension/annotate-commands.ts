/**
 * Tags, notes and stars from the Runs view (Add Tag…, Remove Tag…, Edit Note…, Star, Unstar): each
 * resolves the runs (the tree's selection, else a pick), asks what it needs, and calls `annotateRun`,
 * which keeps them in the run's meta.json beside run.json (so a training run can be tagged too).
 */
import * as vscode from 'vscode';
import { registerCommand } from './register';
import { annotateRun, tagProblem, type AnnotationEdit } from '../core/store/annotations';
import { readSettings } from './settings';
import { pickRuns, readOnlyRefusal, trusted } from './pick';
import type { CommandDeps } from './commands';
import type { NodeModel } from './tree-model';

/** A tag typed or chosen among those in use: a quick pick that also takes a new one. */
function chooseTag(known: string[], title: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
    qp.title = title;
    qp.placeholder = 'Type a new tag, or pick one in use';
    const knownItems = known.map((t) => ({ label: t, description: 'in use' }));
    qp.items = knownItems;
    qp.onDidChangeValue((v) => {
      const tag = v.trim();
      const problem = tag ? tagProblem(tag) : undefined;
      qp.items = tag && !known.includes(tag) ? [{ label: tag, description: problem ? `cannot be a tag: expected ${problem}` : 'new tag' }, ...knownItems] : knownItems;
    });
    let done = false;
    qp.onDidAccept(() => {
      const tag = (qp.selectedItems[0]?.label ?? qp.value).trim();
      if (!tag || tagProblem(tag)) return;
      done = true;
      resolve(tag);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

export function registerAnnotateCommands(deps: CommandDeps): vscode.Disposable[] {
  const records = () => deps.tree.records;
  const target = (node: NodeModel | undefined, nodes: NodeModel[] | undefined, placeHolder: string) =>
    pickRuns({ records: records(), node, nodes, filter: () => true, many: true, placeHolder });
  const apply = async (ids: string[], edit: AnnotationEdit) => {
    const store = readSettings().storeDir;
    try {
      for (const id of ids) await annotateRun(store, id, edit);
    } catch (e) {
      void vscode.window.showErrorMessage(`Hone: ${(e as Error).message}`);
    }
    await deps.refresh();
  };
  // Each writes meta.json: refused in an untrusted workspace, in the words the dashboard refuses the same edit with.
  const refusal = readOnlyRefusal('tag, note or star runs');
  const reg = (id: string, fn: (node?: NodeModel, nodes?: NodeModel[]) => Promise<void>) =>
    registerCommand(deps.log, id, (node?: NodeModel, nodes?: NodeModel[]) => (trusted(refusal) ? fn(node, nodes) : undefined));
  return [
    reg('hone.addTag', async (node, nodes) => {
      const ids = await target(node, nodes, 'Runs to tag');
      if (!ids.length) return;
      const known = [...new Set(records().flatMap((r) => r.tags ?? []))].sort();
      const tag = await chooseTag(known, `Add Tag to ${ids.length === 1 ? records().find((r) => r.id === ids[0])?.name ?? ids[0] : `${ids.length} Runs`}`);
      if (tag) await apply(ids, { addTags: [tag] });
    }),
    reg('hone.removeTag', async (node, nodes) => {
      const ids = await target(node, nodes, 'Runs to untag');
      const tags = [...new Set(records().filter((r) => ids.includes(r.id)).flatMap((r) => r.tags ?? []))].sort();
      if (!ids.length) return;
      if (!tags.length) return void vscode.window.showInformationMessage('Hone: these runs have no tags.');
      const picked = await vscode.window.showQuickPick(tags, { canPickMany: true, title: 'Remove Tag', placeHolder: 'Tags to remove' });
      if (picked?.length) await apply(ids, { removeTags: picked });
    }),
    reg('hone.editNote', async (node, nodes) => {
      const ids = await target(node, nodes, 'Runs to annotate');
      if (!ids.length) return;
      const notes = [...new Set(records().filter((r) => ids.includes(r.id)).map((r) => r.note ?? ''))];
      const note = await vscode.window.showInputBox({
        title: `Note for ${ids.length === 1 ? records().find((r) => r.id === ids[0])?.name ?? ids[0] : `${ids.length} runs`}`,
        prompt: 'What this run showed, why it was made; empty removes the note',
        value: notes.length === 1 ? notes[0] : '',
        validateInput: (v) => (v.length > 10_000 ? `at most 10000 characters, found ${v.length}` : undefined),
      });
      if (note !== undefined) await apply(ids, { note: note.trim() });
    }),
    reg('hone.starRun', async (node, nodes) => {
      const ids = await target(node, nodes, 'Runs to star');
      if (ids.length) await apply(ids, { starred: true });
    }),
    reg('hone.unstarRun', async (node, nodes) => {
      const ids = await target(node, nodes, 'Runs to unstar');
      if (ids.length) await apply(ids, { starred: false });
    }),
  ];
}
