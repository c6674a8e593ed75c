import * as vscode from 'vscode';
import { locateProblems } from './spec-ranges';

export const isSpec = (doc: vscode.TextDocument): boolean => doc.uri.scheme === 'file' && doc.fileName.endsWith('.hone.json');

/** Pause after the last keystroke before a spec is checked again. */
const DEBOUNCE_MS = 300;

/**
 * Every problem of an open spec, as you type, in the CLI's words (JSON path, expected, found, "did you
 * mean"): the text of the editor, parsed and checked by the same `validateSpec` that `hone run` and
 * Run Experiment use (against the saved file, through `loadSpecFile`). VS Code's JSON support gets a
 * schema without validation keywords (editor-schema.ts), so each mistake is reported once, here. JSON
 * syntax errors are the exception: VS Code's JSON support reports those as you type, and a second
 * message for the same comma would only compete with it. spec-ranges.ts's `locateProblems` does the work.
 */
export function specDiagnostics(dataDir: (specFile: string) => string): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('hone');
  const timers = new Map<string, NodeJS.Timeout>();
  const check = (doc: vscode.TextDocument) => {
    if (!isSpec(doc) || doc.isClosed) return;
    const text = doc.getText();
    collection.set(doc.uri, locateProblems(text, dataDir(doc.fileName)).map((p) => {
      const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length)), p.message, vscode.DiagnosticSeverity.Error);
      d.source = 'hone';
      return d;
    }));
  };
  const later = (doc: vscode.TextDocument) => {
    if (!isSpec(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => (timers.delete(key), check(doc)), DEBOUNCE_MS));
  };
  // After activation returns: the first check compiles the schema, which activation need not wait for.
  setTimeout(() => vscode.workspace.textDocuments.forEach(check), 0);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && later(e.document)),
    // Saving re-checks at once: files a spec names may have appeared meanwhile.
    vscode.workspace.onDidSaveTextDocument(check),
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidCloseTextDocument((d) => (clearTimeout(timers.get(d.uri.toString())), collection.delete(d.uri))),
    { dispose: () => timers.forEach(clearTimeout) },
  );
}
