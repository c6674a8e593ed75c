/**
 * What Hone says when a run or a sweep it started ends: one line, with the headline result in its unit.
 * Pure (no vscode import), unit-tested; notify.ts shows them.
 */
import { formatMetric, shortMetricName } from '../core/dashboard/present';
import { durationParts } from '../core/format';
import { trialFacts } from '../core/dashboard/trial';
import type { RunRecord } from '../core/store/types';
import type { SweepView } from '../core/sweep/view';
import { metricText } from './tree-model';

/** `hone.notifications`: which ends are announced. */
export type NotifyLevel = 'all' | 'failures' | 'none';

export interface EndMessage {
  text: string;
  /** A run that did not complete (or a sweep none of whose trials did) is a warning or an error. */
  severity: 'info' | 'warning' | 'error';
}

/** `1234` ms -> `1.2 s`, `95000` -> `1 min 35 s`. */
export function seconds(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const p = durationParts(ms);
  if ('seconds' in p) return `${p.seconds} s`;
  return 'sec' in p ? `${p.min} min ${p.sec} s` : `${p.h} h ${p.min} min`;
}

export function runEndMessage(rec: RunRecord): EndMessage {
  const took = seconds(rec.timings?.totalMs);
  const metric = metricText(rec);
  const head = `Hone: ${rec.name} ${rec.status}${took ? ` in ${took}` : ''}`;
  if (rec.status === 'completed') return { text: `${head}${metric ? ` · ${metric}` : ''}`, severity: 'info' };
  const why = rec.message ? `: ${rec.message}` : '';
  return { text: `${head}${why}`, severity: rec.status === 'stopped' ? 'info' : rec.status === 'failed' || rec.status === 'crashed' ? 'error' : 'warning' };
}

/** Whether a run's end is announced at `level`. */
export const announces = (level: NotifyLevel, severity: EndMessage['severity']): boolean => level === 'all' || (level === 'failures' && severity !== 'info');

/** The trials worth comparing after a sweep: the best ones by the first objective, best first. */
export function topTrialRuns(v: SweepView, runs: Map<string, RunRecord>, n = 5): string[] {
  const o = v.objectives[0];
  const sign = o.direction === 'maximize' ? -1 : 1;
  return v.trials
    .filter((t) => t.state === 'completed' && t.runId && runs.has(t.runId) && t.objectives[o.metric] !== undefined)
    .sort((a, b) => sign * (a.objectives[o.metric] - b.objectives[o.metric]))
    .slice(0, n)
    .map((t) => t.runId!);
}

export function sweepEndMessage(v: SweepView, runs: Map<string, RunRecord>): EndMessage {
  const o = v.objectives[0];
  const best = v.best === undefined ? undefined : v.trials.find((t) => t.number === v.best);
  const value = best && trialFacts(v, best, best.runId ? runs.get(best.runId) : undefined).values[o.metric];
  const counts = [`${v.trials.length} trials`, v.counts.pruned ? `${v.counts.pruned} pruned` : '', v.counts.failed ? `${v.counts.failed} failed` : ''].filter(Boolean).join(', ');
  const result = value !== undefined ? ` · best ${shortMetricName(o.metric)} ${formatMetric(o.metric, value)} (trial ${best!.number})` : v.pareto.length > 1 ? ` · ${v.pareto.length} trials on the Pareto front` : '';
  return {
    text: `Hone: sweep ${v.name} ${v.status} (${counts})${result}${v.message ? `: ${v.message}` : ''}`,
    severity: v.counts.completed === 0 && v.status !== 'stopped' ? 'warning' : 'info',
  };
}
