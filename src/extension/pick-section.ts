/** "Compress Run…" from a spec: the `compress` section of a workspace spec (an example's), picked by path. */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { parseJson, type Json } from '../core/spec';
import { compressSectionSets } from './derive-presets';

/** The spec's `compress` section, when the file parses and has one. */
function compressOf(uri: vscode.Uri): Json | undefined {
  try {
    const parsed = parseJson(readFileSync(uri.fsPath, 'utf8'));
    const v = 'value' in parsed ? parsed.value : undefined;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? ((v as Record<string, Json>).compress ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

/** The assignments that give the child run a picked spec's compress section; undefined when none was picked. */
export async function pickCompressSection(): Promise<string[] | undefined> {
  const found = (await vscode.workspace.findFiles('**/*.hone.json', '**/{node_modules,.hone}/**', 500))
    .map((uri) => ({ uri, compress: compressOf(uri) }))
    .filter((f) => f.compress !== undefined)
    .map((f) => ({ label: vscode.workspace.asRelativePath(f.uri), detail: JSON.stringify(f.compress), compress: f.compress! }))
    .sort((a, b) => a.label.localeCompare(b.label));
  if (!found.length) return void vscode.window.showInformationMessage('Hone: no *.hone.json spec in this workspace has a "compress" section.');
  const pick = await vscode.window.showQuickPick(found, { title: 'Compress With the Section of a Spec', placeHolder: 'A spec whose compress section to apply (its data, model and train are not used)' });
  return pick && compressSectionSets(pick.compress);
}
