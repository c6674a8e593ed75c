/**
 * What the Runs tree shows, as plain data computed from store records (no vscode import, so it is
 * unit-tested in plain Node); tree.ts turns these into TreeItems. Rows stay short enough for the default
 * sidebar width: the status is the icon, the description one headline metric in its unit; the rest
 * (hyperparameters, lineage, tags, note) is in the tooltip.
 */
import { hasFullSpec, isTrainRecord, kindOf, type ExternalSpec, type RunRecord, type RunStatus, type TrainRecord } from '../core/store/types';
import { offersResume } from '../core/resume';
import { COMPRESSIBLE } from '../core/compress/start';
import { formatMetric, headlineMetric, shortMetricName, showParam } from '../core/dashboard/present';
import { federatedFacts, stepUnit } from '../core/dashboard/federated';
import { derivedLabel, shortOverride, shortTime } from './run-label';

export { derivedLabel, shortOverride, shortTime };

export interface NodeModel {
  id: string;
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
  /** A codicon id and an optional theme colour id. */
  icon: { id: string; color?: string };
  /**
   * For `when` clauses in menus: space-separated words, matched with `viewItem =~ /\bword\b/`:
   * `experiment`; `run` with `active` or `finished`, `starred` or `unstarred`, `tagged`, `noted`, `kind-<kind>`,
   * `rerunnable` (a training or federated run: Rerun), `resumable` (a training run that crashed, stopped or
   * failed: Resume Run), `saved-model` (a completed or stopped run that saved a model Hone can read:
   * Compress Run…, Evaluate Robustness…);
   * `trial` for a trial without a run; `sweep` with `running`, `resumable` or `finished`, and `local` or
   * `on-queue` (its trials train on queue agents: the window cannot resume it).
   */
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
export const statusIcon = (s: RunStatus): NodeModel['icon'] => ICONS[s];

export const isActive = (r: Pick<RunRecord, 'status'>): boolean => r.status === 'running' || r.status === 'queued';

export function mainMetric(rec: RunRecord): [string, number] | undefined {
  return headlineMetric(rec.final ?? rec.latest);
}

/** `val acc 95.0%`: a run's headline metric, short. */
export function metricText(rec: RunRecord): string {
  const m = mainMetric(rec);
  return m ? `${shortMetricName(m[0])} ${formatMetric(m[0], m[1])}` : '';
}

/** `@agent-a`: the queue agent that trains (or trained) a remote run; `@queue` while it waits for one. */
export function agentText(rec: RunRecord): string {
  return rec.remote ? `@${rec.remote.agent?.name ?? 'queue'}` : '';
}

/** The tooltip's line about a remote run: which agent on which host, through which queue (password redacted). */
export function remoteLine(rec: RunRecord): string[] {
  if (!rec.remote) return [];
  const a = rec.remote.agent;
  return ['', `${a ? `On agent **${md(a.name)}** (${md(a.host)})` : 'Waiting for an agent'} via ${code(rec.remote.queue)}`];
}

/** The hyperparameters worth a glance, in a fixed order. */
export function keyHyperparameters(rec: RunRecord): [string, string][] {
  if (!isTrainRecord(rec)) return Object.entries((rec.spec as ExternalSpec).params ?? {}).map(([k, v]) => [k, showParam(v)]);
  // The record check (store/record-shape.ts) makes `spec` an object, no more: a hand-edited or foreign
  // run.json may lack a section, and its row's tooltip must not throw, or the whole Runs view fails to draw.
  const { model, train, data, federated } = rec.spec as Partial<TrainRecord['spec']>;
  // A federated run trains by rounds: its clients' optimiser is `train`, its epochs are the federation's E.
  const rows: [string, unknown][] = [
    ['data', data?.source],
    ['model', model?.type === 'mlp' ? `mlp ${showParam(model.layers)}` : model?.type],
    ...(federated ? federatedFacts(federated) : []),
    [federated ? 'client optimizer' : 'optimizer', train?.optimizer],
    ['lr', train?.lr],
    ...(federated || !train ? [] : [['batch size', train.batchSize || 'full'], ['epochs', train.epochs]] as [string, unknown][]),
    ['l1', train?.l1 || undefined],
    ['l2', train?.l2 || undefined],
    ['dropout', train?.dropout || (model && 'dropout' in model && model.dropout) || undefined],
    ['seed', rec.seed],
  ];
  return rows.filter(([, v]) => v !== undefined).map(([k, v]) => [k, showParam(v)]);
}

/** Markdown-safe text for tooltips. */
const md = (s: string) => s.replace(/[\\`*_{}[\]<>|#]/g, '\\$&');
/** Text inside a code span: shown as is, so only backticks need replacing. */
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export interface RunNodeOptions {
  /** Runs made from this one (lineage), already as nodes. */
  children?: NodeModel[];
  /** The run's name, for runs whose parent is named in the tooltip. */
  parentName?: string;
  /** Overrides every run beside it shares: left out of its label, which says what differs. */
  sharedOverrides?: string[];
  now?: Date;
}

/**
 * `3/10`: the steps a run has done of those it plans; `3` for a run that plans none (an external command
 * has done what it has reported).
 */
export const stepsDone = (rec: RunRecord): string =>
  kindOf(rec) === 'exec' || !rec.epochsPlanned ? String(rec.epochsDone) : `${rec.epochsDone}/${rec.epochsPlanned}`;

/** `round 3/15` for a federated run (it counts rounds), the bare `3/10` for the others (epochs, or an exec run's metric lines). */
export const progressText = (rec: RunRecord): string => `${stepUnit(kindOf(rec)) === 'round' ? 'round ' : ''}${stepsDone(rec)}`;

export function runNode(rec: RunRecord, o: RunNodeOptions = {}): NodeModel {
  const kind = kindOf(rec);
  const unit = stepUnit(kind);
  const progress = rec.status === 'running' ? progressText(rec) : rec.status === 'queued' ? 'queued' : '';
  const own = rec.overrides.filter((x) => !o.sharedOverrides?.includes(x));
  const differs = own.length ? own : rec.overrides;
  const derived = derivedLabel(rec.name, o.parentName);
  const label = derived ?? (differs.length ? differs.map(shortOverride).join(' ') : rec.name !== rec.experiment ? rec.name : shortTime(rec.created, o.now));
  const tags = rec.tags ?? [];
  const metric = metricText(rec);
  const tooltip = [
    `${rec.starred ? '★ ' : ''}**${md(rec.name)}** — ${rec.status}${rec.message ? `: ${md(rec.message)}` : ''}`,
    '',
    `\`${rec.id}\` · ${kind}${rec.backend ? ` on **${rec.backend.name}**` : ''} · ${stepsDone(rec)} ${unit}s`,
    ...remoteLine(rec),
    ...(rec.overrides.length ? ['', `Overrides: ${code(rec.overrides.join(' '))}`] : []),
    ...(rec.parent ? ['', `Made from ${o.parentName ? `**${md(o.parentName)}** ` : ''}\`${rec.parent}\``] : []),
    ...(rec.parentRemoved ? ['', `Made from **${md(rec.parentRemoved.name)}** \`${rec.parentRemoved.id}\` (deleted)`] : []),
    ...(o.children?.length ? ['', `${o.children.length} run(s) made from it`] : []),
    ...(tags.length ? ['', `Tags: ${tags.map(code).join(' ')}`] : []),
    ...(rec.note ? ['', `Note: ${md(rec.note)}`] : []),
    '',
    '| hyperparameter | value |',
    '| --- | --- |',
    ...keyHyperparameters(rec).map(([k, v]) => `| ${md(k)} | ${md(v)} |`),
    ...(mainMetric(rec) ? ['', `${mainMetric(rec)![0]}: **${formatMetric(...mainMetric(rec)!)}**`] : []),
  ].join('\n');
  const words = ['run', isActive(rec) ? 'active' : 'finished', rec.starred ? 'starred' : 'unstarred', `kind-${kind}`];
  if (tags.length) words.push('tagged');
  if (rec.note) words.push('noted');
  if (isTrainRecord(rec)) words.push('rerunnable');
  if (offersResume(rec)) words.push('resumable');
  if (hasFullSpec(rec) && COMPRESSIBLE.includes(rec.status)) words.push('saved-model');
  return {
    // A new id when a run starts or ends: VS Code builds a row's context menu from the element it held when
    // the row was focused or selected, so a run that stopped under the cursor would still offer Stop Run.
    id: `run:${rec.id}${isActive(rec) ? ':active' : ''}`,
    label,
    // What matters first, so a narrow sidebar cuts the tags, not the metric; a derived label says the kind,
    // and so does `round 3/15` (only federated runs count rounds: `federated` too would push the metric out).
    description: [kind !== 'train' && !derived && !progress.startsWith('round') ? kind : '', progress, metric, agentText(rec), rec.starred ? '★' : '', ...tags.map((t) => `#${t}`)].filter(Boolean).join(' '),
    tooltip,
    icon: ICONS[rec.status],
    contextValue: words.join(' '),
    runId: rec.id,
    ...(o.children?.length ? { children: o.children } : {}),
  };
}

const newestFirst = (a: RunRecord, b: RunRecord) => b.created.localeCompare(a.created);

/**
 * Lineage: each run's node with the runs made from it nested under it, newest first. Returns the nodes of
 * the runs whose parent is not among `records` (the roots), and a lookup for any run's node.
 */
export function lineage(records: RunRecord[], now?: Date): { roots: RunRecord[]; node: (rec: RunRecord, o?: RunNodeOptions) => NodeModel } {
  const byId = new Map(records.map((r) => [r.id, r]));
  const children = new Map<string, RunRecord[]>();
  for (const r of [...records].sort(newestFirst)) {
    if (r.parent && byId.has(r.parent) && r.parent !== r.id) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  }
  const node = (rec: RunRecord, o: RunNodeOptions = {}, seen = new Set<string>()): NodeModel => {
    seen.add(rec.id);
    const kids = (children.get(rec.id) ?? []).filter((c) => !seen.has(c.id)).map((c) => node(c, {}, seen));
    return runNode(rec, { ...o, children: kids, parentName: rec.parent ? byId.get(rec.parent)?.name : undefined, now });
  };
  const roots = records.filter((r) => !r.parent || !byId.has(r.parent) || headsLoop(r, byId));
  return { roots, node: (rec, o) => node(rec, o) };
}

/**
 * Whether `r` stands for a loop of parents (run.json files edited by hand: a run its own parent, two runs each
 * other's): the loop's run with the smallest id is shown as a root, the others under it, so none vanishes.
 */
function headsLoop(r: RunRecord, byId: Map<string, RunRecord>): boolean {
  const loop = [r.id];
  for (let p = byId.get(r.parent!); p && !loop.includes(p.id); p = p.parent ? byId.get(p.parent) : undefined) loop.push(p.id);
  const last = byId.get(loop[loop.length - 1])!;
  return last.parent === r.id && loop.every((id) => id >= r.id);
}

/**
 * Experiments (by spec name, most recent first) with their runs, newest first; runs made from others nest
 * under them. A sweep's runs show under their sweep: those in `inSweeps` (sweepRunIds), or without it all.
 */
export function experimentNodes(records: RunRecord[], lin = lineage(records), inSweeps?: Set<string>): NodeModel[] {
  const byExperiment = new Map<string, RunRecord[]>();
  const elsewhere = (r: RunRecord) => (inSweeps ? inSweeps.has(r.id) : r.sweep !== undefined);
  for (const r of [...lin.roots].filter((r) => !elsewhere(r)).sort(newestFirst)) byExperiment.set(r.experiment, [...(byExperiment.get(r.experiment) ?? []), r]);
  const byId = new Map(records.map((r) => [r.id, r]));
  return [...byExperiment].map(([name, runs]) => {
    // `train.epochs=3` on every run of the experiment says nothing about any one of them.
    const sharedOverrides = runs.length > 1 ? runs[0].overrides.filter((x) => runs.every((r) => r.overrides.includes(x))) : [];
    const children = runs.map((r) => lin.node(r, { sharedOverrides }));
    // Runs and active runs among the rows under this node, those nested under its runs included (counting
    // only the top rows said `1 run · 2 active` of a run with two compressions going); a sweep's trials of
    // the same experiment show (and count) under their sweep.
    const shown = runIdsOf(children);
    const active = shown.filter((id) => isActive(byId.get(id)!)).length;
    return {
      id: `experiment:${name}`,
      label: name,
      description: `${shown.length} run${shown.length === 1 ? '' : 's'}${active ? ` · ${active} active` : ''}`,
      tooltip: `**${md(name)}**\n\n${runs[0].specPath ?? ''}`,
      icon: { id: 'beaker' },
      contextValue: 'experiment',
      children,
    };
  });
}

/** The runs of these nodes and of every node nested under them. */
const runIdsOf = (nodes: NodeModel[]): string[] => nodes.flatMap((n) => [...(n.runId ? [n.runId] : []), ...runIdsOf(n.children ?? [])]);

/**
 * `n` as the node VS Code last rendered for its id, updated in place: VS Code hands commands the elements it
 * last rendered, and a selection made before a refresh must still name live nodes. A field `n` lacks is
 * deleted from the old node, not kept: a trial whose run was deleted must no longer open or name that run.
 * `byId` collects the nodes of this refresh (the next one's `previous`).
 */
export function sameNode(n: NodeModel, previous: ReadonlyMap<string, NodeModel>, byId: Map<string, NodeModel>): NodeModel {
  const node = previous.get(n.id) ?? n;
  for (const key of Object.keys(node) as (keyof NodeModel)[]) if (!(key in n)) delete node[key];
  Object.assign(node, n, n.children ? { children: n.children.map((c) => sameNode(c, previous, byId)) } : {});
  byId.set(n.id, node);
  return node;
}
