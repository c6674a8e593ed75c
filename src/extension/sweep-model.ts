/**
 * Sweeps in the Runs tree, as plain data (no vscode import): a sweep groups its trials; a trial's label
 * says what differs (its most important parameters, values as written), its description whether it was
 * pruned and its objective in the metric's unit; the best trial is starred. Status, epochs and values are
 * `trialFacts`, the same the dashboard shows.
 */
import type { RunRecord } from '../core/store/types';
import type { SweepTrialView, SweepView } from '../core/sweep/view';
import { formatMetric, lastSegment, shortMetricName, shortParam, showParam } from '../core/dashboard/present';
import { trialFacts } from '../core/dashboard/trial';
import { agentText, isActive, lineage, remoteLine, type NodeModel } from './tree-model';

/** How many characters of parameters a trial's label may take: with `#12 ` and the description, a default-width sidebar. */
const LABEL_PARAMS = 22;

/** Parameter paths, most important first (the sweep's importance for its first objective when known). */
function byImportance(v: SweepView): string[] {
  const shares = v.importance?.byObjective[0];
  const paths = v.parameters.map((p) => p.path);
  return shares ? [...paths].sort((a, b) => (shares[b] ?? 0) - (shares[a] ?? 0)) : paths;
}

/** `adam lr=1.3e-4`: the trial's most important parameters that fit; categorical strings bare. */
export function trialParamsText(v: SweepView, t: SweepTrialView, max = LABEL_PARAMS): string {
  const parts: string[] = [];
  let len = 0;
  for (const path of byImportance(v)) {
    if (t.params[path] === undefined) continue;
    const value = t.params[path];
    const part = typeof value === 'string' ? value : `${lastSegment(path)}=${shortParam(value)}`;
    if (parts.length && len + part.length + 1 > max) break;
    parts.push(part);
    len += part.length + 1;
  }
  return parts.join(' ');
}

function trialNode(v: SweepView, t: SweepTrialView, runs: Map<string, RunRecord>, lin: ReturnType<typeof lineage>): NodeModel {
  const rec = t.runId ? runs.get(t.runId) : undefined;
  const facts = trialFacts(v, t, rec);
  const base: NodeModel = rec ? lin.node(rec) : { id: '', label: '', description: '', tooltip: '', icon: { id: 'circle-outline' }, contextValue: 'trial' };
  // Runs of the trial's earlier attempts, cut short when the sweep was stopped or killed: they may have saved a
  // model, so they stay reachable (Show Log, Compress, Delete) under the trial, after the runs made from its run.
  const attempts = (t.interrupted ?? []).flatMap((id) => runs.get(id) ?? []).map((r) => {
    const n = lin.node(r);
    return { ...n, label: `earlier attempt ${n.label}`.trim() };
  });
  const children = [...(base.children ?? []), ...attempts];
  const o = v.objectives[0];
  const value = facts.values[o.metric];
  const valueText = value === undefined ? '' : formatMetric(o.metric, value);
  // A pruned or failed trial's value is not a result (it stopped early): the tooltip has it.
  const stateText = facts.state === 'completed' ? valueText
    : facts.state === 'running' ? `${v.budget.unit === 'round' ? 'round ' : ''}${facts.epochs}/${facts.planned}${valueText ? ` ${valueText}` : ''}`
      : facts.state;
  const description = [stateText, rec ? agentText(rec) : ''].filter(Boolean).join(' ');
  const pruned = facts.state === 'pruned';
  const params = v.parameters.filter((p) => t.params[p.path] !== undefined).map((p) => `| ${p.path} | ${showParam(t.params[p.path])} |`);
  const values = v.objectives.filter((x) => facts.values[x.metric] !== undefined).map((x) => `${x.metric} **${formatMetric(x.metric, facts.values[x.metric])}**`);
  const tooltip = [
    `${t.best ? '★ **Best trial.** ' : ''}**Trial ${t.number}** of ${v.name}: ${facts.state}, ${facts.epochs} of ${facts.planned} ${v.budget.unit}s${values.length ? ` · ${values.join(' · ')}` : ''}`,
    ...(pruned && t.pruned ? ['', `Pruned at ${t.pruned.reason}`] : []),
    '', '| parameter | value |', '| --- | --- |', ...params,
    ...(rec ? ['', `Run \`${rec.id}\``, ...remoteLine(rec)] : []),
  ].join('\n');
  return {
    ...base,
    // A new id when its run starts or ends, as a run row's (tree-model.ts): else a trial that ended under the cursor keeps offering Stop Run.
    id: `trial:${v.id}:${t.number}${rec && isActive(rec) ? ':active' : ''}`,
    label: `#${t.number} ${trialParamsText(v, t)}`.trim(),
    description,
    icon: pruned ? { id: 'circle-slash', color: 'disabledForeground' } : t.best ? { id: 'star-full', color: 'charts.yellow' } : base.icon,
    tooltip,
    contextValue: rec ? `${base.contextValue} trial` : 'trial',
    ...(children.length ? { children } : {}),
  };
}

/** The runs sweep nodes show: each trial's run and its earlier attempts' (a sweep run not among them is an experiment's row). */
export const sweepRunIds = (views: SweepView[]): Set<string> => new Set(views.flatMap((v) => v.trials.flatMap((t) => [...(t.runId ? [t.runId] : []), ...(t.interrupted ?? [])])));

/** One node per sweep (newest first) with its trials in trial order. */
export function sweepNodes(views: SweepView[], records: RunRecord[], lin = lineage(records)): NodeModel[] {
  const runs = new Map(records.map((r) => [r.id, r]));
  return [...views].reverse().map((v) => {
    const done = v.counts.completed + v.counts.pruned + v.counts.failed;
    const o = v.objectives[0];
    const best = v.best === undefined ? undefined : v.trials.find((t) => t.number === v.best);
    const bestValue = best && trialFacts(v, best, best.runId ? runs.get(best.runId) : undefined).values[o.metric];
    const status = v.status === 'completed' ? '' : v.status;
    return {
      id: `sweep:${v.id}`,
      label: v.name,
      description: [status, `${done}/${v.budget.trials ?? v.trials.length}`, bestValue !== undefined ? `best ${formatMetric(o.metric, bestValue)}` : ''].filter(Boolean).join(' '),
      tooltip: [
        `**Sweep ${v.name}** (\`${v.id}\`): ${v.status}${v.message ? `, ${v.message}` : ''}`,
        '',
        `${v.sampler.type} sampler, ${v.stopper.type} stopper, objective ${v.objectives.map((x) => `${x.direction} ${x.metric}`).join(', ')}`,
        '',
        `${v.counts.completed} completed, ${v.counts.pruned} pruned, ${v.counts.failed} failed, ${v.counts.running} running${v.counts.interrupted ? `, ${v.counts.interrupted} interrupted` : ''}`,
        ...(bestValue !== undefined ? ['', `Best: trial ${best!.number}, ${shortMetricName(o.metric)} **${formatMetric(o.metric, bestValue)}**`] : []),
      ].join('\n'),
      icon: { id: v.status === 'running' ? 'sync~spin' : 'symbol-array', ...(v.status === 'running' ? { color: 'charts.blue' } : {}) },
      // `on-queue`: its trials train on queue agents, and only `hone sweep resume --queue URL` (which has the
      // queue's password) resumes it, so Resume Sweep is offered on `local` sweeps alone.
      contextValue: `sweep ${v.status === 'interrupted' || v.status === 'stopped' ? 'resumable' : v.status === 'running' ? 'running' : 'finished'} ${v.queue ? 'on-queue' : 'local'}`,
      sweepId: v.id,
      children: v.trials.map((t) => trialNode(v, t, runs, lin)),
    };
  });
}
