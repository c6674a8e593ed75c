/**
 * `hone compare a b [c...]`: the runs side by side in the terminal, as the dashboard's Compare view
 * shows them: the spec fields that differ (all of them with --all), then every final metric with the
 * best run of each row marked by the metric registry's direction. A robustness metric measured under
 * different evaluations (another headline eps, norm or attack set: core/robust/condition.ts) is not
 * marked: the robustness row says what each run measured. Each row reads as in the Compare view (metricRow).
 */
import { InputError } from '../core/errors';
import { specDiff } from '../core/compare';
import { extraDigits, numMore } from '../core/format';
import { stepsLabel } from '../core/dashboard/federated';
import { betterOf } from '../core/metrics';
import { bestValue } from '../core/dashboard/metrics';
import { APART_WHY, metricRow } from '../core/dashboard/conditions';
import { describeEvaluation, evaluationOf } from '../core/robust/condition';
import { runView } from '../core/views';
import { table } from './format';
import { findRun, json, print } from './io';

/** A spec value as the user wrote it (a rounded number would hide the very difference the row shows). */
const show = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v));

export function compareCommand(store: string, refs: string[], all: boolean, asJson: boolean): number {
  if (refs.length < 2) throw new InputError('hone compare: give at least two runs');
  const runs = refs.map((ref) => findRun(store, ref));
  const ids = runs.map((r) => r.record.id);
  if (new Set(ids).size < ids.length) throw new InputError(`hone compare: the same run was named twice (${ids.join(', ')})`);
  const diff = specDiff(runs.map((r) => r.record.spec)).filter((d) => all || d.changed);
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.record.final ?? {})))].sort();
  const specs = runs.map((r) => r.record.spec);
  const rows = new Map(metrics.map((m) => [m, metricRow(m, specs, runs.map((r) => r.record.final?.[m] !== undefined))]));
  const notComparable = metrics.filter((m) => rows.get(m)!.apart);
  if (asJson) return json({ runs: runs.map((r) => runView(r.record, r.dir)), spec: diff, metrics, notComparable }), 0;
  // The whole id: a reference takes an id prefix, never its last characters, so it can be copied back.
  const header = ['', ...runs.map((r) => `${r.record.name} (${r.record.id})`)];
  const identity = [
    ['kind', ...runs.map((r) => r.record.kind ?? 'train')],
    ['status', ...runs.map((r) => r.record.status)],
    ['parent', ...runs.map((r) => r.record.parent ?? '')],
    [stepsLabel(runs.map((r) => r.record.kind)), ...runs.map((r) => `${r.record.epochsDone}/${r.record.epochsPlanned}`)],
    ['robustness', ...runs.map((r) => evaluationOf(r.record.spec)).map((ev) => (ev ? describeEvaluation(ev) : ''))],
  ].filter((row) => row.slice(1).some(Boolean));
  const specRows = diff.map((d) => [d.path, ...d.values.map(show)]);
  const metricRows = metrics.map((m) => {
    const values = runs.map((r) => r.record.final?.[m]);
    const { label, apart, eps } = rows.get(m)!;
    const best = apart ? undefined : bestValue(m, values);
    const extra = extraDigits(best, values, numMore);
    const name = `${label}${betterOf(m) ? ` (${betterOf(m)})` : ''}${apart ? ' \u2020' : ''}`;
    return [name, ...values.map((v, i) => `${numMore(v, extra)}${eps[i] !== undefined ? ` (eps ${eps[i]})` : ''}${best !== undefined && v === best ? ' *' : ''}`)];
  });
  print([
    table(header, identity),
    '',
    specRows.length ? table(['spec', ...header.slice(1)], specRows) : 'spec: no field differs',
    '',
    metricRows.length ? table(['metric', ...header.slice(1)], metricRows) : 'metrics: none',
    metricRows.length ? '* best of the row, every run that ties for it (by the metric\'s direction; a row where all tie, and metrics without a known direction, are not marked)' : '',
    ...(notComparable.length ? [`\u2020 not marked: ${APART_WHY} (see the spec and robustness rows), so the values do not rank`] : []),
  ].join('\n'));
  return 0;
}
