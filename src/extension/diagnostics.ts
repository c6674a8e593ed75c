import * as vscode from 'vscode';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { formatProblem, loadSpecFile, parsePath, type SpecProblem } from '../core/spec';
import { dirname } from 'node:path';

export const isSpec = (doc: vscode.TextDocument): boolean => doc.uri.scheme === 'file' && doc.fileName.endsWith('.hone.json');

/** The text range a problem's JSON path points at: the value, else the nearest existing parent, else the start. */
function rangeOf(doc: vscode.TextDocument, problem: SpecProblem): vscode.Range {
  const root = parseTree(doc.getText());
  let keys = parsePath(problem.path) ?? [];
  let node = root && keys.length ? findNodeAtLocation(root, keys) : undefined;
  while (root && !node && keys.length > 1) node = findNodeAtLocation(root, (keys = keys.slice(0, -1)));
  if (!node) return new vscode.Range(0, 0, 0, 1);
  const at = node.parent?.type === 'property' ? node.parent : node;
  return new vscode.Range(doc.positionAt(at.offset), doc.positionAt(at.offset + at.length));
}

/**
 * Problems the JSON Schema cannot express (data files that must exist, a model that must fit the data)
 * as diagnostics on save, with the CLI's wording. Schema problems are left to VS Code's JSON support,
 * which shows them as you type from the schema registered in package.json.
 */
export function specDiagnostics(datasetsDir: () => string | undefined): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('hone');
  const check = (doc: vscode.TextDocument) => {
    if (!isSpec(doc)) return;
    const { problems } = loadSpecFile(doc.fileName, [], datasetsDir() ?? dirname(doc.fileName));
    collection.set(
      doc.uri,
      problems.filter((p) => p.kind === 'check').map((p) => {
        const d = new vscode.Diagnostic(rangeOf(doc, p), formatProblem(p), vscode.DiagnosticSeverity.Error);
        d.source = 'hone';
        return d;
      }),
    );
  };
  // After activation returns: the first check compiles the schema, which activation need not wait for.
  setTimeout(() => vscode.workspace.textDocuments.forEach(check), 0);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidSaveTextDocument(check),
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
  );
}
