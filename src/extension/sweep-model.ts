/**
 * Sweeps in the Runs tree, as plain data (no vscode import): a sweep groups its trials, the best trial
 * is starred, pruned trials say at which rung and are drawn faded.
 */
import type { RunRecord } from '../core/store/types';
import type { SweepTrialView, SweepView } from '../core/sweep/view';
import { num } from '../core/format';
import { runNode, type NodeModel } from './tree-model';

const short = (v: unknown) => (typeof v === 'number' ? num(v) : JSON.stringify(v));
const paramText = (t: SweepTrialView) => Object.entries(t.params).map(([k, v]) => `${k.split('.').pop()}=${short(v)}`).join(' ');

function trialNode(v: SweepView, t: SweepTrialView, runs: Map<string, RunRecord>): NodeModel {
  const rec = t.runId ? runs.get(t.runId) : undefined;
  const base: NodeModel = rec ? runNode(rec) : { id: '', label: '', description: t.state, tooltip: '', icon: { id: 'circle-outline' }, contextValue: 'trial' };
  const objective = v.objectives.map((o) => (t.objectives[o.metric] === undefined ? '' : `${o.metric} ${num(t.objectives[o.metric])}`)).filter(Boolean).join(' · ');
  const pruned = t.state === 'pruned';
  return {
    ...base,
    id: `trial:${v.id}:${t.number}`,
    label: `#${t.number} ${paramText(t)}`,
    description: pruned ? `pruned at epoch ${t.pruned?.epoch ?? t.epochs}${t.pruned?.rung !== undefined ? ` (rung ${t.pruned.rung})` : ''}` : objective || base.description,
    icon: t.best ? { id: 'star-full', color: 'charts.yellow' } : pruned ? { id: 'circle-slash', color: 'disabledForeground' } : base.icon,
    tooltip: `${t.best ? '**Best trial.** ' : ''}${pruned ? `Pruned: ${t.pruned?.reason ?? ''}\n\n` : ''}${base.tooltip}`,
  };
}

/** One node per sweep (newest first) with its trials in trial order. */
export function sweepNodes(views: SweepView[], records: RunRecord[]): NodeModel[] {
  const runs = new Map(records.map((r) => [r.id, r]));
  return views.map((v) => {
    const done = v.counts.completed + v.counts.pruned + v.counts.failed;
    const best = v.best === undefined ? undefined : v.trials.find((t) => t.number === v.best);
    const bestText = best ? ` · best ${v.objectives[0].metric} ${num(best.objectives[v.objectives[0].metric])}` : '';
    return {
      id: `sweep:${v.id}`,
      label: `${v.name} (${v.sampler.type} sweep)`,
      description: `${v.status} · ${done}/${v.budget.trials ?? v.trials.length} trials${v.counts.pruned ? ` · ${v.counts.pruned} pruned` : ''}${bestText}`,
      tooltip: `**Sweep ${v.id}**: ${v.sampler.type} sampler, ${v.stopper.type} stopper, objective ${v.objectives.map((o) => `${o.direction} ${o.metric}`).join(', ')}${v.message ? `\n\n${v.message}` : ''}`,
      icon: { id: v.status === 'running' ? 'sync~spin' : 'symbol-array' },
      contextValue: v.status === 'interrupted' || v.status === 'stopped' ? 'sweep.resumable' : v.status === 'running' ? 'sweep.active' : 'sweep.finished',
      sweepId: v.id,
      children: v.trials.map((t) => trialNode(v, t, runs)),
    };
  });
}
