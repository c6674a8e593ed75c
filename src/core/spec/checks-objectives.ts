/**
 * Semantic checks on `sweep.objectives`: each names a metric one of the spec's stages records
 * (stage-metrics.ts), in the direction the metric registry gives it, and a stopper judges trials only by
 * objectives recorded after every epoch.
 */
import type { Check } from './checks';
import type { SpecProblem } from './types';
import type { SweepSpec } from './sweep-types';
import { stageFor, stageMetrics, type StageMetrics } from './stage-metrics';
import { pathsOverlap } from './paths';
import { showFound } from './describe';
import { didYouMean } from './suggest';
import { metricInfo } from '../metrics/registry';
import { dataTask, guessedTaskNote } from './checks-csv';
import { valMissing } from './checks-train';

/**
 * A sweep parameter sets the evaluation's eps, so `eps_<eps>/` names differ between trials. Only the
 * parameters' paths are read (not `reads`: a problem inside a parameter must not hide the objectives').
 */
const epsVaries = (sweep: SweepSpec): boolean => Object.keys(sweep.parameters ?? {}).some((p) => pathsOverlap(p, 'robustness.evaluate.eps'));

/** `training: loss, val_loss; compress: packed_bytes, ...`: every name, by stage (none is cut: this is the list to pick from). */
const listByStage = (stages: StageMetrics[]): string => stages.map((s) => `${s.stage}: ${s.metrics.join(', ')}`).join('; ');

/** Why `metric` is not recorded, before the list: the test split's rule, compression's final metrics, a stage to add, latency not measured, a varied eps, a CSV's guessed task, or a near name. */
function hint(metric: string, stages: StageMetrics[], names: string[], variedEps: boolean, taskNote: string): string {
  if (metric.startsWith('test_')) return ' (test metrics are never objectives: nothing is selected on the test split)';
  if (stages[0].droppedMetrics?.includes(metric)) return ` (${metric} is training's; a compressed trial's final metrics are its compressed model's)`;
  const stage = stageFor(metric);
  if (stage && !stages.some((s) => s.stage === stage)) return ` (${metric} is recorded by a ${stage} stage, which this spec has not: add a ${stage} section)`;
  if (stage === 'compress' && metric.startsWith('latency_')) return ' (latency is measured only with compress.latency.runs > 0)';
  if (variedEps && metric.startsWith('eps_')) return ' (a sweep parameter sets robustness.evaluate.eps, so eps_ names differ between trials: use robust_accuracy, at the first eps)';
  if (taskNote && /^(val_)?(accuracy|mse)$/.test(metric)) return taskNote;
  return didYouMean(metric, names);
}

const objectivesKnown: Check = {
  reads: ['sweep.objectives', 'data', 'compress', 'robustness'],
  run: ({ spec, baseDir }) => {
    if (!spec.sweep) return [];
    const variedEps = epsVaries(spec.sweep);
    const task = dataTask(spec.data, baseDir);
    const stages = stageMetrics(spec, variedEps, task);
    const names = stages.flatMap((s) => s.metrics);
    return spec.sweep.objectives.flatMap(({ metric }, i, all): SpecProblem[] => {
      const path = `sweep.objectives[${i}].metric`;
      if (!names.includes(metric)) {
        // The hint first: a long list is clipped in its middle (spec/bound.ts).
        const why = hint(metric, stages, names, variedEps, guessedTaskNote(spec.data, task));
        return [{ path, expected: `a metric the spec's stages record${why}: ${listByStage(stages)}`, found: showFound(metric) }];
      }
      const missing = valMissing(spec.data, baseDir, metric);
      if (missing) return [{ path, ...missing }];
      if (all.findIndex((o) => o.metric === metric) < i) return [{ path, expected: 'a metric no other objective uses', found: showFound(metric) }];
      return [];
    });
  },
};

/** The registry says which way a metric is better (core/metrics/registry.ts); an objective must not say otherwise. */
const directionsAgree: Check = {
  reads: ['sweep.objectives'],
  run: ({ spec: { sweep } }) =>
    (sweep?.objectives ?? []).flatMap(({ metric, direction }, i): SpecProblem[] => {
      const info = metricInfo(metric);
      const want = info?.better === 'max' ? 'maximize' : info?.better === 'min' ? 'minimize' : undefined;
      if (!info || !want || want === direction) return [];
      return [{ path: `sweep.objectives[${i}].direction`, expected: `"${want}": ${metric} (${info.label}, ${info.unit}) is better ${info.better === 'max' ? 'higher' : 'lower'}`, found: showFound(direction) }];
    }),
};

/**
 * Stoppers judge a trial after each training epoch by its objective values then; an objective only a
 * compress or robustness stage records exists at the end alone, so no stopper could ever judge by it.
 */
const stopperCanJudge: Check = {
  reads: ['sweep.stopper', 'sweep.objectives', 'data', 'compress', 'robustness'],
  run: ({ spec, baseDir }) => {
    if (!spec.sweep || spec.sweep.stopper.type === 'none') return [];
    const stages = stageMetrics(spec, epsVaries(spec.sweep), dataTask(spec.data, baseDir));
    const late = spec.sweep.objectives.flatMap(({ metric }) => {
      const stage = stages.find((s) => s.metrics.includes(metric));
      return stage && !stage.perEpoch ? [`${metric} (${stage.stage})`] : [];
    });
    if (!late.length) return [];
    return [{
      path: 'sweep.stopper.type',
      expected: `"none": ${late.join(', ')} ${late.length > 1 ? 'are' : 'is'} recorded only when a trial's last stage ends, so a stopper cannot judge trials by ${late.length > 1 ? 'them' : 'it'}`,
      found: showFound(spec.sweep.stopper.type),
    }];
  },
};

export const OBJECTIVE_CHECKS: readonly Check[] = [objectivesKnown, directionsAgree, stopperCanJudge];
