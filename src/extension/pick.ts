/** What a command acts on when it is not given it: a spec, runs, from the editor, the tree or a quick pick. */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { READ_ONLY_STORE } from '../core/dashboard/source';
import { parseJson } from '../core/spec';
import type { RunRecord } from '../core/store/types';
import { selectedRunIds } from './args';
import type { NodeModel } from './tree-model';

/**
 * Nothing starts a process in an untrusted workspace (specs can point the engine at any file), and its
 * store is only read. Else shows `refusal`, with a way to trust the folder.
 */
export function trusted(refusal = 'Hone does not run training in an untrusted workspace. Trust this folder to run experiments.'): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showErrorMessage(refusal, 'Manage Workspace Trust')
    .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

/** The refusal of an edit of the store (tags, deletions) in an untrusted workspace, where the store is only read. */
export const readOnlyRefusal = (what: string): string => `Hone: ${READ_ONLY_STORE}. Trust this folder to ${what}.`;

const isSpecUri = (u: vscode.Uri | undefined): u is vscode.Uri => u instanceof vscode.Uri && u.path.endsWith('.hone.json');

/** The spec's text: the editor's (unsaved edits included) when it is open, else the file's. */
function specText(uri: vscode.Uri): string | undefined {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc) return doc.getText();
  try {
    return readFileSync(uri.fsPath, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether the spec has a `sweep` section (a file that does not parse has none). */
export function hasSweep(uri: vscode.Uri): boolean {
  const text = specText(uri);
  const parsed = text === undefined ? undefined : parseJson(text);
  return !!parsed && 'value' in parsed && typeof parsed.value === 'object' && parsed.value !== null && 'sweep' in parsed.value;
}

export interface SpecPick {
  /** Only specs with a `sweep` section qualify (Start Sweep). */
  sweep?: boolean;
  /** The quick pick's placeholder: what the spec is for. */
  purpose: string;
}

/**
 * The spec a command acts on: the given file, else the active editor's spec, else one picked from the
 * workspace (by workspace-relative path, so two files of one name stay apart). For a sweep, a spec
 * without a `sweep` section does not qualify: the pick then lists the ones that have one.
 */
export async function pickSpec(uri: vscode.Uri | undefined, o: SpecPick): Promise<vscode.Uri | undefined> {
  const fits = (u: vscode.Uri) => !o.sweep || hasSweep(u);
  if (isSpecUri(uri) && fits(uri)) return uri;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (!uri && isSpecUri(active) && fits(active)) return active;
  const found = (await vscode.workspace.findFiles('**/*.hone.json', '**/{node_modules,.hone}/**', 500)).filter(fits);
  if (!found.length) {
    const what = o.sweep ? 'No spec in this workspace has a "sweep" section.' : 'No *.hone.json spec in this workspace.';
    const create = o.sweep ? 'New Sweep Spec…' : 'New Experiment…';
    if ((await vscode.window.showInformationMessage(`Hone: ${what}`, create)) === create) await vscode.commands.executeCommand('hone.newExperiment', o.sweep ? 'sweep' : undefined);
    return undefined;
  }
  const current = [uri, active].filter(isSpecUri).map((u) => u.toString());
  const items = found
    .map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u, description: current.includes(u.toString()) ? 'active' : undefined }))
    .sort((a, b) => Number(!!b.description) - Number(!!a.description) || a.label.localeCompare(b.label));
  const skipped = uri ?? active;
  const placeHolder = o.sweep && isSpecUri(skipped) && !fits(skipped)
    ? `${vscode.workspace.asRelativePath(skipped)} has no "sweep" section: pick a spec that has one`
    : o.purpose;
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.uri;
}

export interface RunsPick {
  records: RunRecord[];
  node?: NodeModel;
  nodes?: readonly NodeModel[];
  /** Runs a quick pick may offer. */
  filter: (r: RunRecord) => boolean;
  many?: boolean;
  placeHolder: string;
}

/** The runs a command acts on: the tree's clicked or selected runs, else a quick pick over runs passing `filter`. */
export async function pickRuns(p: RunsPick): Promise<string[]> {
  const ids = selectedRunIds(p.node, p.nodes);
  if (ids.length) return ids;
  const items = p.records.filter(p.filter).map((r) => ({ label: r.name, description: `${r.status} · ${r.id}`, detail: r.tags?.length ? r.tags.map((t) => `#${t}`).join(' ') : undefined, id: r.id }));
  if (!items.length) {
    void vscode.window.showInformationMessage('Hone: no run to choose from.');
    return [];
  }
  const picked = await vscode.window.showQuickPick(items, { canPickMany: p.many, placeHolder: p.placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked === undefined ? [] : (Array.isArray(picked) ? picked : [picked]).map((x) => x.id);
}
