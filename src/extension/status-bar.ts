import * as vscode from 'vscode';
import { kindOf, type RunRecord } from '../core/store/types';
import { stepUnit } from '../core/dashboard/federated';

/** "$(beaker) Hone: 2 running · wasm": active runs in the store and the backend of the newest one. */
export function statusBar(): { item: vscode.StatusBarItem; update(records: RunRecord[]): void } {
  const item = vscode.window.createStatusBarItem('hone.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Hone runs';
  item.command = 'workbench.view.extension.hone';
  return {
    item,
    update(records) {
      const active = records.filter((r) => r.status === 'running' || r.status === 'queued');
      const backend = [...active, ...records].find((r) => r.backend)?.backend?.name;
      item.text = `$(beaker) Hone: ${active.length ? `${active.length} running` : 'idle'}${backend ? ` · ${backend}` : ''}`;
      item.tooltip = active.length ? active.map((r) => `${r.name}: ${r.status} ${stepUnit(kindOf(r)) === 'round' ? 'round ' : ''}${r.epochsDone}/${r.epochsPlanned}`).join('\n') : 'No active runs';
      item.show();
    },
  };
}
