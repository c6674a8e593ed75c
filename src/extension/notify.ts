/**
 * Notifications when a run or a sweep this window started ends (`hone.notifications`: all, failures,
 * none), with what to do next: Open (its detail or sweep view), Compare (with the experiment's other
 * runs, or a sweep's best trials), Show Log for a run that failed.
 */
import * as vscode from 'vscode';
import { LOG_FILE, runDirOf } from '../core/store';
import type { RunRecord } from '../core/store/types';
import type { SweepView } from '../core/sweep/view';
import { announces, runEndMessage, sweepEndMessage, topTrialRuns, type NotifyLevel } from './messages';
import type { DashboardOpener } from './commands';

export interface NotifyDeps {
  dashboard: DashboardOpener;
  /** The runs of the store as the tree last read them. */
  records: () => RunRecord[];
  storeDir: () => string;
}

const level = (): NotifyLevel => vscode.workspace.getConfiguration('hone').get<NotifyLevel>('notifications', 'all');

function show(severity: 'info' | 'warning' | 'error', text: string, actions: string[]): Thenable<string | undefined> {
  if (severity === 'error') return vscode.window.showErrorMessage(text, ...actions);
  if (severity === 'warning') return vscode.window.showWarningMessage(text, ...actions);
  return vscode.window.showInformationMessage(text, ...actions);
}

export async function notifyRunEnd(deps: NotifyDeps, rec: RunRecord | undefined): Promise<void> {
  if (!rec) return;
  const msg = runEndMessage(rec);
  if (!announces(level(), msg.severity)) return;
  // Compare with the experiment's latest other runs that have results.
  const others = deps.records().filter((r) => r.experiment === rec.experiment && r.id !== rec.id && r.final && !r.sweep).slice(0, 4).map((r) => r.id);
  const actions = ['Open', ...(others.length ? ['Compare'] : []), ...(msg.severity === 'error' ? ['Show Log'] : [])];
  const pick = await show(msg.severity, msg.text, actions);
  if (pick === 'Open') deps.dashboard.open({ view: 'run', id: rec.id });
  if (pick === 'Compare') deps.dashboard.open({ view: 'compare', ids: [rec.id, ...others] });
  if (pick === 'Show Log') await vscode.window.showTextDocument(vscode.Uri.joinPath(vscode.Uri.file(runDirOf(deps.storeDir(), rec.id)), LOG_FILE), { preview: true });
}

export async function notifySweepEnd(deps: NotifyDeps, v: SweepView | undefined): Promise<void> {
  if (!v) return;
  const runs = new Map(deps.records().map((r) => [r.id, r]));
  const msg = sweepEndMessage(v, runs);
  if (!announces(level(), msg.severity)) return;
  const top = topTrialRuns(v, runs);
  const pick = await show(msg.severity, msg.text, ['Open', ...(top.length >= 2 ? ['Compare Best'] : [])]);
  if (pick === 'Open') deps.dashboard.open({ view: 'sweep', id: v.id });
  if (pick === 'Compare Best') deps.dashboard.open({ view: 'compare', ids: top });
}
