/**
 * The metrics each stage of a spec records in run.json's `final`, by stage: what a sweep objective may
 * name. A trial is one run through every stage its spec has, in this order:
 *
 *   training             loss, accuracy/mse and their val_ forms; val_robust_accuracy with robustness.train
 *   compress             sizes, ratios, sparsity and (with compress.latency.runs > 0) latency of the
 *                        compressed model; `final` then holds the compressed model's val_loss and
 *                        val_accuracy/val_mse, and none of training's other metrics (`droppedMetrics`)
 *   robustness.evaluate  robust accuracy of the model the run saved last: the compressed one when there is
 *                        a compress stage (its robustness.evaluation.model.sha256 is model/ as packed)
 *
 * Only the training metrics exist after every epoch (`perEpoch`): stoppers judge trials by them alone.
 * Test metrics are never objectives: nothing is selected on the test split.
 */
import { COMPRESS_METRICS } from '../compress/report';
import { epsMetric } from '../robust/metrics';
import { epsList, type RobustnessSpec } from './robust-types';
import type { CompressSpec } from './compress-types';
import { metricNames } from './checks-train';
import { taskOf, type SpecTask } from './shape';
import type { Spec } from './types';

export type StageName = 'training' | 'compress' | 'robustness.evaluate';

export interface StageMetrics {
  stage: StageName;
  /** In run.json's `final` when the trial ends. */
  metrics: string[];
  /** Recorded after every training epoch, so a stopper can judge a trial by it mid-way. */
  perEpoch: boolean;
  /** Training: metrics of the epochs that a compress stage leaves out of `final` (they were the uncompressed model's). */
  droppedMetrics?: string[];
}

/** Compression's final metrics, without test ones; latency only when it is measured. */
function compressMetricNames(c: CompressSpec): string[] {
  return COMPRESS_METRICS.filter((m) => !m.startsWith('test_') && (c.latency.runs > 0 || !m.startsWith('latency_')));
}

/**
 * An evaluation's final metrics (core/robust/metrics.ts) that every trial records. Left out:
 * `<attack>/attack_success` (absent when the attack had no point left to break), `eval_points` (a count,
 * no direction), and `eps_<eps>/robust_accuracy` when `epsVaries` (a sweep parameter sets the eps, so
 * the name differs between trials; `robust_accuracy` follows the headline eps).
 */
function evaluateMetricNames(r: RobustnessSpec, epsVaries: boolean): string[] {
  const perEps = r.evaluate && !epsVaries ? epsList(r.evaluate).map(epsMetric) : [];
  return ['robust_accuracy', 'robust_accuracy_low', 'robust_accuracy_high', 'clean_accuracy', ...perEps, 'red_flags'];
}

/**
 * The stages of `spec` with the final metrics of each; `epsVaries` as in evaluateMetricNames. `task`: the
 * data's task where the spec leaves it to a CSV's loader (checks-csv.ts dataTask); unknown, both tasks' metrics.
 */
export function stageMetrics({ data, compress, robustness }: Pick<Spec, 'data' | 'compress' | 'robustness'>, epsVaries = false, task: SpecTask | undefined = taskOf(data)): StageMetrics[] {
  const training = metricNames(task, robustness);
  const kept = compress ? training.filter((m) => m.startsWith('val_') && m !== 'val_robust_accuracy') : training;
  const dropped = training.filter((m) => !kept.includes(m));
  return [
    { stage: 'training', metrics: kept, perEpoch: true, ...(dropped.length ? { droppedMetrics: dropped } : {}) },
    ...(compress ? [{ stage: 'compress' as const, metrics: compressMetricNames(compress), perEpoch: false }] : []),
    ...(robustness?.evaluate ? [{ stage: 'robustness.evaluate' as const, metrics: evaluateMetricNames(robustness, epsVaries), perEpoch: false }] : []),
  ];
}

/** The spec section that would add a stage recording `metric`, when that stage is missing. */
export function stageFor(metric: string): string | undefined {
  if ((COMPRESS_METRICS as readonly string[]).includes(metric) && !metric.startsWith('test_')) return 'compress';
  if (metric === 'val_robust_accuracy') return 'robustness.train';
  if (/^(eps_[^/]+\/)?(robust_accuracy(_low|_high)?|clean_accuracy|red_flags)$/.test(metric)) return 'robustness.evaluate';
  return undefined;
}
