/**
 * The `robustness` section inside a training run (engine/worker.ts): adversarial training's hooks before
 * training, and after the model is saved, its report, the evaluation of the saved model, and the metrics
 * and red flags they add to the run.
 */
import type * as tf from '@tensorflow/tfjs';
import { basename, join } from 'node:path';
import { collapseFlag } from '../../core/robust/flags';
import { robustMetrics } from '../../core/robust/metrics';
import type { EpsResult, RobustnessRecord } from '../../core/robust/report';
import { inputRange, networkMap } from '../../core/robust/space';
import type { Spec } from '../../core/spec/types';
import type { Dataset } from '../data/types';
import type { Preprocessing } from '../models/preprocess';
import { adversarialTraining, type AdversarialTraining } from './adversarial';
import { evaluateModelDir, type ModelEvaluationOptions } from './evaluate-model';
import { epsLogLine, flagLogLine } from './log-lines';

/** Adversarial training for `spec.robustness.train` on the network `model` trained on `data` (normalised by `pre`). */
export function robustTraining(model: tf.LayersModel, data: Dataset, spec: Spec, pre: Preprocessing, log: (text: string) => void): AdversarialTraining | undefined {
  const cfg = spec.robustness?.train;
  const range = inputRange(spec.data);
  if (!cfg || !range) return undefined;
  log(`adversarial training: ${cfg.method}, eps ${cfg.eps}, alpha ${cfg.alpha}${cfg.method === 'fast' ? '' : `, ${cfg.steps} steps`}; ${range.text}`);
  return adversarialTraining(model, data, networkMap(range, pre.input.shift, pre.input.scale), cfg, spec.train, spec.seed, log);
}

/** The error a stop request raises at an attack's next safe point. */
export class StopRequested extends Error {}

/** A tick for attacks: one turn of the event loop (heartbeats run), then a stop request ends the attack. */
export const stoppableTick = (stop: () => boolean) => async (): Promise<void> => {
  await new Promise((r) => setImmediate(r));
  if (stop()) throw new StopRequested('stopped on request');
};

/**
 * After a completed training run saved its model in `runDir`/model: the run's result with the robustness
 * metrics added (or `stopped`, when asked to stop during the evaluation, or `failed`, when the evaluation
 * failed: either way with the training's metrics, as its model is kept), and run.json's `robustness`.
 * Each eps's result and each red flag go to `o.log` as they are known, as an evaluate run logs them.
 */
export async function robustnessAfterTraining<R extends { status: string; message: string; final: Record<string, number>; bestEpoch?: number }>(
  runDir: string, spec: Spec, adv: AdversarialTraining | undefined, result: R, o: Omit<ModelEvaluationOptions, 'tick'> & { stop: () => boolean },
): Promise<{ result: R; robustness: RobustnessRecord }> {
  const training = adv?.report(result.bestEpoch);
  const collapse = training?.collapse ? [collapseFlag(training.collapse, training.best)] : [];
  const onEps = async (r: EpsResult) => {
    o.log?.(epsLogLine(r));
    await o.onEps?.(r);
  };
  let evaluation;
  try {
    evaluation = spec.robustness?.evaluate ? await evaluateModelDir(join(runDir, 'model'), spec, { ...o, onEps, run: basename(runDir), tick: stoppableTick(o.stop) }) : undefined;
  } catch (e) {
    for (const f of collapse) o.log?.(flagLogLine(f));
    const stopped = e instanceof StopRequested;
    if (!stopped) o.log?.(`robustness: ${(e as Error).stack ?? e}`);
    const why = stopped ? 'stopped on request during the robustness evaluation' : `the robustness evaluation failed: ${(e as Error).message}`;
    return { result: { ...result, status: stopped ? 'stopped' : 'failed', message: `${result.message}; ${why} (the model is saved, with its training metrics)` }, robustness: { ...(training ? { training } : {}), flags: collapse } };
  }
  const flags = [...collapse, ...(evaluation?.flags ?? [])];
  for (const f of flags) o.log?.(flagLogLine(f));
  const final = { ...result.final, ...(evaluation ? robustMetrics(evaluation) : {}), red_flags: flags.length };
  return { result: { ...result, final }, robustness: { ...(evaluation ? { evaluation } : {}), ...(training ? { training } : {}), flags } };
}
