import * as vscode from 'vscode';
import type { RunRecord } from '../core/store/types';
import { statusSummary } from './status-model';

/** "$(beaker) Hone: 2 running, 1 queued · wasm": active runs in the store and the backend of the newest one. */
export function statusBar(): { item: vscode.StatusBarItem; update(records: RunRecord[]): void } {
  const item = vscode.window.createStatusBarItem('hone.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Hone runs';
  item.command = 'workbench.view.extension.hone';
  return {
    item,
    update(records) {
      Object.assign(item, statusSummary(records));
      item.show();
    },
  };
}
