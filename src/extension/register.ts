/** Command registration shared by every command module. */
import * as vscode from 'vscode';

/**
 * vscode.commands.registerCommand, with a command that throws (a run deleted since the tree drew it, a
 * store that cannot be written) saying why in Hone's words, its stack in `log`, rather than VS Code's
 * bare "command resulted in an error".
 */
export function registerCommand(log: vscode.OutputChannel, id: string, fn: (...args: any[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: any[]) => {
    try {
      return await fn(...args);
    } catch (e) {
      log.appendLine(`${id} failed: ${(e as Error).stack ?? e}`);
      void vscode.window.showErrorMessage(`Hone: ${(e as Error).message ?? e}`);
      return undefined;
    }
  });
}
