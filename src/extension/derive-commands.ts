/**
 * Commands that continue a run or make a run from another: Resume Run; Compress Run… and Evaluate
 * Robustness…, whose child runs nest under their parent; and Run Command as Experiment, any command as
 * a tracked run. Each asks what it needs, calls the core function that `hone resume`, `hone compress`,
 * `hone attack` and `hone exec` call (which checks everything and records the run, queued), and starts
 * it through the window's queue, so these runs share hone.maxParallelRuns with the others.
 */
import * as vscode from 'vscode';
import { registerCommand } from './register';
import { basename, join } from 'node:path';
import { InputError } from '../core/errors';
import { offersResume, prepareResume } from '../core/resume';
import { COMPRESSIBLE, queueCompress } from '../core/compress/start';
import { planEvaluation, queueEvaluation, ROBUST_WORKER, type AttackRequest } from '../core/robust';
import { EXEC_WORKER, queueExecRun } from '../core/exec';
import type { QueuedRun } from '../core/runner';
import { epsList } from '../core/spec';
import { hasFullSpec, type RunRecord } from '../core/store/types';
import { editorCommand, type CommandDeps } from './commands';
import { startWithProgress } from './start-run';
import { overridesProblem, splitCommandLine, splitOverrides } from './args';
import { ATTACK_PRESETS, COMPRESS_PRESETS, parseEps, type Preset } from './derive-presets';
import { pickCompressSection } from './pick-section';
import { pickRuns, trusted } from './pick';
import { readSettings, workspaceRoot } from './settings';
import type { NodeModel } from './tree-model';
import { version } from '../../package.json';

const savedModel = (r: RunRecord) => hasFullSpec(r) && COMPRESSIBLE.includes(r.status);
const CUSTOM = 'Custom Settings…';

/**
 * A preset's assignments, the compress section of a spec (`fromSpec`), or assignments typed in a box
 * (remembered per command); undefined when the user gave up.
 */
async function chooseSets(deps: CommandDeps, o: { title: string; presets: Preset[]; key: string; example: string; fromSpec?: boolean }): Promise<string[] | undefined> {
  const fromSpec = 'From a Spec\'s compress Section…';
  const items = [
    ...o.presets.map((p) => ({ label: p.label, detail: p.detail, description: p.sets.join(' '), sets: p.sets })),
    ...(o.fromSpec ? [{ label: fromSpec, detail: 'the compress section of a spec in this workspace (an example\'s, say)', description: '', sets: undefined }] : []),
    { label: CUSTOM, detail: `path=value assignments, as \`--set\` takes them (e.g. ${o.example})`, description: '', sets: undefined },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: o.title, placeHolder: 'What to do with the run\'s model', matchOnDetail: true });
  if (!pick) return undefined;
  if (pick.sets) return pick.sets;
  if (pick.label === fromSpec) return pickCompressSection();
  const input = await vscode.window.showInputBox({
    title: o.title, prompt: 'path=value assignments on the new run\'s spec, separated by spaces', placeHolder: o.example,
    value: deps.memory.get<string>(o.key, o.example), validateInput: (v) => (v.trim() ? overridesProblem(v) : 'at least one assignment'),
  });
  if (input === undefined) return undefined;
  await deps.memory.update(o.key, input);
  return splitOverrides(input) as string[]; // validateInput let through only input that splits
}

export function registerDeriveCommands(deps: CommandDeps, distDir: string): vscode.Disposable[] {
  const store = () => readSettings().storeDir;
  const worker = join(distDir, 'worker.js');
  const one = async (node: NodeModel | undefined, filter: (r: RunRecord) => boolean, placeHolder: string) =>
    (await pickRuns({ records: deps.tree.records, node, filter, placeHolder }))[0];
  const nameOf = (id: string) => deps.tree.records.find((r) => r.id === id)?.name ?? id;
  /** Starts a queued run with `workerPath`; bad input (an InputError from the core) is shown, with `actions`. */
  const start = async <Q extends QueuedRun>(make: () => Promise<Q> | Q, title: (q: Q) => string, verb: string, workerPath: string, actions: Record<string, () => unknown> = {}) => {
    let queued: Q;
    try {
      queued = await make();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      deps.log.appendLine(e.message);
      const pick = await vscode.window.showErrorMessage(`Hone: ${e.message}`, ...Object.keys(actions));
      return void (pick && actions[pick]());
    }
    deps.log.appendLine(`queued run ${queued.record.id} (${queued.record.name})${queued.record.parent ? ` from run ${queued.record.parent}` : ''}`);
    await startWithProgress(deps, title(queued), verb, (o) => deps.runs.enqueueQueued(store(), queued, workerPath, o));
  };
  const reg = (id: string, fn: (node?: NodeModel) => Promise<void>) => registerCommand(deps.log, id, fn);
  return [
    reg('hone.resumeRun', async (node) => {
      if (!trusted()) return;
      const id = await one(node, offersResume, 'Run to resume from its last checkpoint (crashed, stopped or failed)');
      if (!id) return;
      await start(() => prepareResume(store(), id), (q) => `resuming ${q.record.name} from epoch ${q.fromEpoch}`, 'training', worker,
        { Rerun: () => vscode.commands.executeCommand('hone.rerun', node ?? { runId: id }) });
    }),
    reg('hone.compressRun', async (node) => {
      if (!trusted()) return;
      const id = await one(node, savedModel, 'Run whose model to compress (a child run is made; the run itself is kept)');
      if (!id) return;
      const title = `Compress ${nameOf(id)}`;
      const sets = await chooseSets(deps, { title, presets: COMPRESS_PRESETS, key: 'compress:custom', example: 'compress.prune.sparsity=0.9 compress.prune.epochs=3', fromSpec: true });
      if (!sets) return;
      await start(() => queueCompress({ storeDir: store(), ref: id, sets, versions: { hone: version }, command: editorCommand('Compress Run…', undefined, sets) }),
        () => `compressing ${nameOf(id)}`, 'compressing', worker);
    }),
    reg('hone.evaluateRobustness', async (node) => {
      if (!trusted()) return;
      const id = await one(node, savedModel, 'Run whose model to attack (a child run is made)');
      if (!id) return;
      const own = deps.tree.records.find((r) => r.id === id);
      const ownEps = own && hasFullSpec(own) && own.spec.robustness?.evaluate ? epsList(own.spec.robustness.evaluate).join(', ') : undefined;
      const title = `Evaluate Robustness of ${nameOf(id)}`;
      const epsText = await vscode.window.showInputBox({
        title, prompt: 'eps: the perturbation budget in the [0, 1] input space (several, separated by commas, draw robust accuracy against eps)',
        value: ownEps ?? deps.memory.get<string>('attack:eps', '0.1'), validateInput: (v) => { const e = parseEps(v); return typeof e === 'string' ? e : undefined; },
      });
      if (epsText === undefined) return;
      await deps.memory.update('attack:eps', epsText);
      const sets = await chooseSets(deps, { title, presets: ATTACK_PRESETS, key: 'attack:custom', example: 'robustness.evaluate.points=200 robustness.evaluate.attacks=[{"attack":"pgd","steps":10}]' });
      if (!sets) return;
      const req: AttackRequest = { eps: parseEps(epsText) as number[], sets, versions: { hone: version }, command: editorCommand('Evaluate Robustness…', undefined, [`eps=${epsText}`, ...sets]) };
      await start(() => queueEvaluation(store(), planEvaluation(store(), id, req), req), () => `attacking ${nameOf(id)}`, 'attacking', join(distDir, ROBUST_WORKER));
    }),
    reg('hone.runCommand', async () => {
      if (!trusted()) return;
      const root = workspaceRoot();
      if (!root) return void vscode.window.showErrorMessage('Hone: open a folder first; the command runs in the workspace folder.');
      const line = await vscode.window.showInputBox({
        title: 'Run Command as Experiment',
        prompt: `Runs in ${basename(root)}, tracked as a run: output to its log, exit code to its status, metrics through docs/exec-protocol.md (Python: import hone). No shell: words split as a shell splits them.`,
        placeHolder: 'python3 train.py --lr 0.01', value: deps.memory.get<string>('exec:command', ''),
        validateInput: (v) => { const c = splitCommandLine(v); return typeof c === 'string' ? `expected ${c}` : c.length ? undefined : 'a command'; },
      });
      if (!line) return;
      await deps.memory.update('exec:command', line);
      await start(() => queueExecRun({ storeDir: store(), command: splitCommandLine(line) as string[], cwd: root, versions: { hone: version }, invokedBy: editorCommand('Run Command as Experiment', undefined, [line]) }),
        (q) => `running ${q.record.name}`, 'running', join(distDir, EXEC_WORKER));
    }),
  ];
}
