/** Text for `hone sweep show` and the progress lines of `hone sweep`; the data comes from the sweep view model. */
import type { SweepEvent, SweepView } from '../core/sweep';
import type { Json } from '../core/spec';
import { num } from '../core/format';
import { table } from './format';
import { oneLine } from './terminal';

const value = (v: Json | undefined): string => (v === undefined ? '' : typeof v === 'number' ? num(v) : typeof v === 'string' ? v : JSON.stringify(v));

const config = (c: object): string => {
  const { type, ...rest } = c as { type: string };
  const opts = Object.entries(rest).map(([k, v]) => `${k} ${v}`).join(', ');
  return opts ? `${type} (${opts})` : type;
};

export const objectivesText = (m: Record<string, number>): string => Object.entries(m).map(([k, v]) => `${k}=${num(v)}`).join(' ');

/** One line per trial event worth a line: started, ended (completed, pruned, failed, interrupted). */
/** One line for a sweep event; `unit`: what a trial's steps are (`round` for a federated sweep). */
export function eventLine(e: SweepEvent, unit: 'epoch' | 'round' = 'epoch'): string | undefined {
  if (e.type === 'sweep-started') return `sweep ${e.record.id} (${oneLine(e.record.name)}): ${e.record.trials.length ? 'resumed' : 'started'}`;
  if (e.type === 'trial-started') {
    const how = e.how === 'rerun' ? 're-run' : e.how === 'adopted' ? 'adopted (its run outlived the last session)' : 'started';
    return `trial ${e.trial.number} ${how}${e.trial.runId ? `: run ${e.trial.runId}` : ''} ${JSON.stringify(e.trial.params)}`;
  }
  if (e.type === 'trial-interrupted') return `trial ${e.trial.number} interrupted by the stop: it re-runs on resume`;
  if (e.type !== 'trial-ended') return undefined;
  const t = e.trial;
  if (t.state === 'completed') return `trial ${t.number} completed after ${t.epochs} ${unit}s: ${t.values?.map(num).join(', ')}`;
  if (t.state === 'pruned') return `trial ${t.number} pruned at ${t.pruned?.reason}`;
  return `trial ${t.number} ${t.state}${t.message ? `: ${oneLine(t.message)}` : ''}`;
}

function bars(shares: Record<string, number>): string[] {
  const width = Math.max(...Object.keys(shares).map((k) => k.length));
  return Object.entries(shares).sort((a, b) => b[1] - a[1]).map(([k, s]) => `  ${k.padEnd(width)}  ${'#'.repeat(Math.round(s * 30)).padEnd(30, '.')}  ${s.toFixed(2)}`);
}

/**
 * The improvements of the best-so-far value of objective `j`, each with the epochs (or rounds) the whole
 * sweep had spent when it came: the trial's own count is in the table, and "(trial 0, 6 epochs)" read as
 * that trial's.
 */
function historyLine(v: SweepView, j: number): string {
  const steps: string[] = [];
  let last: number | undefined;
  for (const p of v.history) {
    const b = p.bestSoFar[j];
    const spent = `${p.cumulativeEpochs} ${v.budget.unit}${p.cumulativeEpochs === 1 ? '' : 's'}`;
    if (b !== undefined && b !== last) steps.push(`${num(b)} (trial ${p.number}, after ${spent} of the sweep)`);
    last = b;
  }
  return steps.length ? steps.join(' -> ') : 'no completed trial yet';
}

export function sweepText(v: SweepView): string {
  const params = v.parameters.map((p) => p.path);
  const metrics = v.objectives.map((o) => o.metric);
  const c = v.counts;
  const states = Object.entries(c).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ');
  const epochs = v.history.length ? v.history[v.history.length - 1].cumulativeEpochs : 0;
  const rows = v.trials.map((t) => [
    String(t.number), `${t.state}${t.best ? ' (best)' : t.pareto && v.objectives.length > 1 ? ' (front)' : t.diverged ? ' (diverged)' : ''}`, `${t.epochs}/${t.planned}`,
    ...params.map((p) => value(t.params[p])), ...metrics.map((m) => num(t.objectives[m])), t.runId ?? '',
  ]);
  const lines = [
    `sweep      ${v.id}  ${oneLine(v.name)}  (${v.status}${v.message ? `: ${oneLine(v.message)}` : ''})`,
    `spec       ${v.specPath ?? '-'}`,
    `sampler    ${config(v.sampler)}; stopper ${config(v.stopper)}`,
    `objective  ${v.objectives.map((o) => `${o.metric} (${o.direction})`).join(', ')}`,
    `trials     ${v.trials.length}${v.budget.trials ? ` of ${v.budget.trials}` : ''}: ${states || 'none yet'}; ${epochs} ${v.budget.unit}s, ${(v.budget.elapsedMs / 1000).toFixed(0)} s`,
    '',
    table(['trial', 'state', `${v.budget.unit}s`, ...params, ...metrics, 'run'], rows),
    '',
  ];
  if (v.best !== undefined) {
    const b = v.trials[v.best];
    lines.push(`best       trial ${b.number}: ${objectivesText(b.objectives)} ${JSON.stringify(b.params)} (run ${b.runId})`);
  } else if (v.pareto.length) {
    lines.push(`pareto     ${v.pareto.length} trial(s) that no other trial beats on every objective:`);
    for (const n of v.pareto) lines.push(`  trial ${n}: ${objectivesText(v.trials[n].objectives)}`);
  }
  v.objectives.forEach((o, j) => lines.push(`history    best ${o.metric}: ${historyLine(v, j)}`));
  if (v.importance) {
    lines.push(`importance ${v.importance.method}:`);
    v.objectives.forEach((o, j) => lines.push(...(v.objectives.length > 1 ? [` ${o.metric}`] : []), ...bars(v.importance!.byObjective[j])));
  }
  return lines.join('\n');
}
