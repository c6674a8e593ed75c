import * as vscode from 'vscode';
import { registerCommand } from './register';
import { join } from 'node:path';
import { loadSpecFile } from '../core/spec';
import { listSweepViews, loadSweepView, requestSweepStop, resumeSweep, startSweep, type SweepEvent, type SweepHandle, type SweepRunOptions } from '../core/sweep';
import type { LaunchTrial, TrialRun } from '../core/sweep/trial-run';
import { removeSweep, sweepRemoval } from '../core/remove';
import { confirmDeletion } from './delete-runs';
import { dataDir, readSettings } from './settings';
import { editorCommand, pickSpec, trusted, type CommandDeps } from './commands';
import { readOnlyRefusal } from './pick';
import { budgetWarning } from './sweep-budget';
import { applyBackendSetting } from './backend-setting';
import type { BackendChoice } from '../core/spec/types';
import { notifySweepEnd } from './notify';
import type { NodeModel } from './tree-model';
import type { RemoteQueue as Remote } from '../core/queue';
import { version } from '../../package.json';

/** A sweep event as a line of the Output channel. */
function eventLine(id: string, e: SweepEvent): string | undefined {
  switch (e.type) {
    case 'sweep-started': {
      const w = e.record.sweep;
      return `sweep ${id} (${e.record.name}) started: ${w.trials ?? 'no'} trial budget${w.timeLimit ? `, ${w.timeLimit} s limit` : ''}, ${w.sampler.type} sampler, ${w.stopper.type} stopper, ${w.parallel || 'one per core'} at once (sweep.parallel)`;
    }
    case 'trial-started':
      return `sweep ${id}: trial ${e.trial.number} ${e.how === 'adopted' ? 'adopted (its worker outlived the last coordinator)' : e.how === 'rerun' ? 're-run' : 'started'}, run ${e.trial.runId ?? '?'}: ${JSON.stringify(e.trial.params)}`;
    case 'trial-ended':
      return `sweep ${id}: trial ${e.trial.number} ${e.trial.state}${e.trial.pruned ? ` at ${e.trial.pruned.reason}` : ''}${e.trial.values ? ` ${JSON.stringify(e.trial.values)}` : ''}`;
    case 'trial-interrupted':
      return `sweep ${id}: trial ${e.trial.number} interrupted by the stop: it re-runs on resume`;
    case 'sweep-ended':
      return `sweep ${id} ${e.record.status}${e.record.message ? `: ${e.record.message}` : ''}`;
    default:
      return undefined;
  }
}

/**
 * Hone: Start Sweep / Resume Sweep / Stop Sweep / Open Sweep / Delete Sweep. This window coordinates the
 * sweeps it starts or resumes; their trials wait in the window's run queue with every other run, so
 * `hone.maxParallelRuns` bounds them all together, and the spec's own `sweep.parallel` bounds the sweep.
 * A sweep coordinated elsewhere is stopped through its stop file; one whose coordinator died (a reloaded
 * window) is resumed here.
 */
export function registerSweepCommands(deps: CommandDeps, workerDir: string): vscode.Disposable[] {
  const handles = new Map<string, SweepHandle>();
  // `hone.backend` as it was when the sweep started or resumed: its trials all train on one backend.
  const launchTrial = (command: string, backend: BackendChoice) => (o: LaunchTrial): TrialRun => {
    const { spec, applied } = applyBackendSetting(o.spec, backend);
    const run = deps.runs.enqueue(
      { storeDir: o.storeDir, spec, specPath: o.specPath, overrides: o.overrides, versions: o.versions, sweep: o.sweep, command: editorCommand(command, o.specPath, o.overrides, applied) },
      { onMessage: (m) => m.type === 'epoch' && o.onLine(m.line), onQueued: (r) => o.onQueued(r.record.id) },
    );
    return { runId: run.record.id, done: run.done, stop: run.stop };
  };
  const options = (command: string): SweepRunOptions => {
    const s = readSettings();
    // The first event (sweep-started, sent before startSweep returns) names the sweep the rest are about.
    let id = '?';
    return {
      storeDir: s.storeDir, workerPath: join(workerDir, 'worker.js'), versions: { hone: version }, launchTrial: launchTrial(command, s.backend),
      onEvent: (e) => {
        if ('record' in e) id = e.record.id;
        const line = eventLine(id, e);
        if (line) deps.log.appendLine(line);
        void deps.refresh();
      },
    };
  };
  const follow = (h: SweepHandle, what: string, where = `its trials wait in the run queue with every other run (hone.maxParallelRuns: ${readSettings().maxParallelRuns} at once)`) => {
    handles.set(h.id, h);
    deps.log.appendLine(`sweep ${h.id} ${what}, coordinated by this window; ${where}`);
    h.done
      .then(() => notifySweepEnd({ dashboard: deps.dashboard, records: () => deps.tree.records, storeDir: () => readSettings().storeDir }, safeView(h.id)))
      .catch((e: Error) => {
        deps.log.appendLine(`sweep ${h.id}: ${e.message}`);
        void vscode.window.showErrorMessage(`Hone: sweep ${h.id}: ${e.message}`);
      })
      .finally(() => {
        handles.delete(h.id);
        void deps.refresh();
      });
  };
  const safeView = (id: string) => {
    try {
      return loadSweepView(readSettings().storeDir, id);
    } catch {
      return undefined;
    }
  };
  const pickSweep = async (node: NodeModel | undefined, states: string[] | undefined, placeHolder: string): Promise<string | undefined> => {
    if (node?.sweepId) return node.sweepId;
    const items = listSweepViews(readSettings().storeDir)
      .reverse()
      .filter((v) => !states || states.includes(v.status))
      .map((v) => ({ label: v.name, description: `${v.status} · ${v.trials.length} trials · ${v.id}`, id: v.id }));
    if (!items.length) return void vscode.window.showInformationMessage(`Hone: no sweep${states ? ` that is ${states.join(' or ')}` : ''}.`);
    return (await vscode.window.showQuickPick(items, { placeHolder }))?.id;
  };
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      void vscode.window.showErrorMessage(`Hone: ${(e as Error).message}`);
    }
  };
  const reg = (id: string, fn: (arg?: any) => Promise<void>) => registerCommand(deps.log, id, fn);
  return [
    reg('hone.startSweep', async (uri?: vscode.Uri) => {
      if (!trusted()) return;
      const file = await pickSpec(uri, { sweep: true, purpose: 'Spec to sweep' });
      if (!file) return;
      await vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file.fsPath)?.save();
      const sets: string[] = [];
      const loaded = loadSpecFile(file.fsPath, [], dataDir(file.fsPath));
      const warning = loaded.spec && budgetWarning(loaded.spec);
      if (warning) {
        const without = 'Start Without Stopper';
        const pick = await vscode.window.showWarningMessage(`Hone: ${vscode.workspace.asRelativePath(file)}: a small budget for its stopper`, { modal: true, detail: warning }, without, 'Start Anyway');
        if (!pick) return;
        if (pick === without) sets.push('sweep.stopper={"type":"none"}');
      }
      guard(() => follow(startSweep(file.fsPath, { ...options('Start Sweep'), sets, baseDir: dataDir(file.fsPath) }), `started from ${vscode.workspace.asRelativePath(file)}${sets.length ? ` (${sets.join(' ')})` : ''}`));
      await deps.refresh();
    }),
    reg('hone.startSweepOnQueue', async (uri?: vscode.Uri) => {
      if (!trusted()) return;
      const file = await pickSpec(uri, { sweep: true, purpose: 'Spec to sweep on a queue' });
      if (!file) return;
      await vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file.fsPath)?.save();
      const url = await vscode.window.showInputBox({
        title: 'Hone: Start Sweep on Queue', prompt: 'The queue agents take trials from (hone agent --queue URL on each machine); the password is never recorded',
        placeHolder: 'redis://[user:password@]host:port  or  rediss://... for TLS', value: process.env.HONE_QUEUE ?? '', password: true, ignoreFocusOut: true,
      });
      if (!url) return;
      // Loaded on first use: the queue's client stays out of the extension's activation.
      const { parseQueueUrl, queueTrials, RemoteQueue } = await import('../core/queue');
      let remote: Remote;
      try {
        remote = await RemoteQueue.open(parseQueueUrl(url));
      } catch (e) {
        return void vscode.window.showErrorMessage(`Hone: ${(e as Error).message}`);
      }
      const o = options('Start Sweep on Queue');
      let h: SweepHandle;
      try {
        h = startSweep(file.fsPath, { ...o, baseDir: dataDir(file.fsPath), queue: queueTrials(remote, o.storeDir) });
      } catch (e) {
        void remote.close();
        return void vscode.window.showErrorMessage(`Hone: ${(e as Error).message}`);
      }
      deps.tree.queues.add(remote);
      follow(h, `started from ${vscode.workspace.asRelativePath(file)}`, `its trials train on the agents of ${remote.address.redacted}`);
      const cleanup = () => {
        deps.tree.queues.delete(remote);
        void remote.close();
        void deps.refresh();
      };
      h.done.then(cleanup, cleanup);
      await deps.refresh();
    }),
    reg('hone.resumeSweep', async (node?: NodeModel) => {
      if (!trusted()) return;
      const id = await pickSweep(node, ['interrupted', 'stopped'], 'Sweep to resume');
      const v = id ? safeView(id) : undefined;
      // Resuming needs the queue's password, which its record leaves out; the CLI takes the whole URL.
      if (v?.queue) return void vscode.window.showErrorMessage(`Hone: sweep ${v.name} trains its trials on the queue ${v.queue}, which this window cannot resume. In a terminal: hone sweep resume ${v.id} --queue <its URL, with the password> (or with HONE_QUEUE set).`);
      if (id) guard(() => follow(resumeSweep(id, options('Resume Sweep')), 'resumed'));
    }),
    reg('hone.stopSweep', async (node?: NodeModel) => {
      const id = await pickSweep(node, ['running'], 'Sweep to stop');
      if (id) guard(() => (handles.has(id) ? handles.get(id)!.stop() : requestSweepStop(readSettings().storeDir, id)));
      await deps.refresh();
    }),
    // From the palette: every run of the store; from a sweep's node: its trials.
    reg('hone.showTradeoffs', async (node?: NodeModel) => deps.dashboard.open({ view: 'tradeoff', ...(node?.sweepId ? { sweepId: node.sweepId } : {}) })),
    reg('hone.openSweep', async (node?: NodeModel) => {
      const id = await pickSweep(node, undefined, 'Sweep to open');
      if (id) deps.dashboard.open({ view: 'sweep', id });
    }),
    reg('hone.deleteSweep', async (node?: NodeModel) => {
      if (!trusted(readOnlyRefusal('delete sweeps'))) return;
      const id = await pickSweep(node, ['interrupted', 'stopped', 'completed'], 'Sweep to delete');
      const v = id ? safeView(id) : undefined;
      if (!v) return;
      const store = readSettings().storeDir;
      const name = (runId: string) => deps.tree.records.find((r) => r.id === runId)?.name ?? runId;
      try {
        // Runs made from the sweep's runs but not by the sweep (a compressed trial) are the user's: asked about as Delete Run does.
        const plan = sweepRemoval(store, v.id);
        const answer = await confirmDeletion(`Delete sweep ${v.name} and its ${plan.runs.length} run(s)?`, 'The runs it made, their files and the sweep record are deleted.', plan.others.map(name), "the sweep's runs");
        if (!answer) return;
        const r = await removeSweep(store, v.id, answer.policy);
        deps.log.appendLine(`deleted sweep ${r.sweep} and ${r.removed.length} run(s)${r.detached.length ? `, detached ${r.detached.length}` : ''}`);
      } catch (e) {
        void vscode.window.showErrorMessage(`Hone: ${(e as Error).message}`);
      }
      await deps.refresh();
    }),
    { dispose: () => handles.forEach((h) => h.stop()) },
  ];
}
