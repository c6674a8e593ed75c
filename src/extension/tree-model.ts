/**
 * What the Runs tree shows, as plain data computed from store records (no vscode import, so it is
 * unit-tested in plain Node); tree.ts turns these into TreeItems.
 */
import { isTrainRecord, type ExternalSpec, type RunRecord, type RunStatus } from '../core/store/types';
import { num } from '../core/format';

export interface NodeModel {
  id: string;
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
  /** A codicon id and an optional theme colour id. */
  icon: { id: string; color?: string };
  /** For `when` clauses in menus: `experiment`, `run.active` or `run.finished`. */
  contextValue: string;
  runId?: string;
  sweepId?: string;
  children?: NodeModel[];
}

const ICONS: Record<RunStatus, NodeModel['icon']> = {
  queued: { id: 'clock' },
  running: { id: 'sync~spin', color: 'charts.blue' },
  completed: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  stopped: { id: 'debug-stop', color: 'disabledForeground' },
  crashed: { id: 'warning', color: 'list.warningForeground' },
  diverged: { id: 'flame', color: 'list.warningForeground' },
};

/** Preferred headline metric: validation first (what selection should use), then test, then training. */
const MAIN = ['val_accuracy', 'val_mse', 'val_loss', 'test_accuracy', 'test_mse', 'accuracy', 'mse', 'loss'];

export function mainMetric(rec: RunRecord): [string, number] | undefined {
  const m = rec.final ?? rec.latest ?? {};
  const key = MAIN.find((k) => m[k] !== undefined);
  return key === undefined ? undefined : [key, m[key]];
}

/** The hyperparameters worth a glance, in a fixed order. */
export function keyHyperparameters(rec: RunRecord): [string, string][] {
  if (!isTrainRecord(rec)) return Object.entries((rec.spec as ExternalSpec).params ?? {}).map(([k, v]) => [k, typeof v === 'number' ? num(v) : JSON.stringify(v)]);
  const { model, train, data } = rec.spec;
  const rows: [string, unknown][] = [
    ['data', data.source],
    ['model', model.type === 'mlp' ? `mlp ${JSON.stringify(model.layers)}` : model.type],
    ['optimizer', train.optimizer],
    ['lr', train.lr],
    ['batch size', train.batchSize || 'full'],
    ['epochs', train.epochs],
    ['l1', train.l1 || undefined],
    ['l2', train.l2 || undefined],
    ['dropout', train.dropout || ('dropout' in model && model.dropout) || undefined],
    ['seed', rec.seed],
  ];
  return rows.filter(([, v]) => v !== undefined).map(([k, v]) => [k, typeof v === 'number' ? num(v) : String(v)]);
}

export function runNode(rec: RunRecord): NodeModel {
  const metric = mainMetric(rec);
  const active = rec.status === 'running' || rec.status === 'queued';
  const progress = rec.status === 'running' ? `epoch ${rec.epochsDone}/${rec.epochsPlanned}` : rec.status;
  const label = rec.overrides.length ? rec.overrides.join(' ') : rec.name;
  const tooltip = [
    `**${rec.name}** — ${rec.status}${rec.message ? `: ${rec.message}` : ''}`,
    '',
    `\`${rec.id}\`${rec.backend ? ` on **${rec.backend.name}**` : ''}`,
    '',
    '| hyperparameter | value |',
    '| --- | --- |',
    ...keyHyperparameters(rec).map(([k, v]) => `| ${k} | ${v} |`),
    ...(metric ? ['', `${metric[0]}: **${num(metric[1])}**`] : []),
  ].join('\n');
  return {
    id: `run:${rec.id}`,
    label,
    description: [progress, metric ? `${metric[0]} ${num(metric[1])}` : ''].filter(Boolean).join(' · '),
    tooltip,
    icon: ICONS[rec.status],
    contextValue: active ? 'run.active' : 'run.finished',
    runId: rec.id,
  };
}

/** Experiments (by spec name, most recent first) with their runs, newest first. */
export function experimentNodes(records: RunRecord[]): NodeModel[] {
  const byExperiment = new Map<string, RunRecord[]>();
  for (const r of [...records].sort((a, b) => b.created.localeCompare(a.created))) {
    byExperiment.set(r.experiment, [...(byExperiment.get(r.experiment) ?? []), r]);
  }
  return [...byExperiment].map(([name, runs]) => {
    const active = runs.filter((r) => r.status === 'running' || r.status === 'queued').length;
    return {
      id: `experiment:${name}`,
      label: name,
      description: `${runs.length} run${runs.length === 1 ? '' : 's'}${active ? ` · ${active} active` : ''}`,
      tooltip: `**${name}**\n\n${runs[0].specPath ?? ''}`,
      icon: { id: 'beaker' },
      contextValue: 'experiment',
      children: runs.map(runNode),
    };
  });
}
