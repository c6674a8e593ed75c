/**
 * Robustness of a saved model folder, as `hone attack` and a run's own `robustness.evaluate` score it: the
 * model as saved (raw inputs, Hone's normalisation inside), the first `points` samples of the test part of
 * the spec's data, read raw and mapped to the [0, 1] attack space.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EpsResult, RobustReport } from '../../core/robust/report';
import { inputRange } from '../../core/robust/space';
import type { Spec } from '../../core/spec/types';
import { loadDataset } from '../data';
import { loadSavedModel, modelSha256, savedModelLogits } from './classifier';
import { evaluateRobustness } from './evaluate';

export interface ModelEvaluationOptions {
  /** Folder relative data paths resolve against. */
  baseDir: string;
  /** The run the model belongs to, for the report. */
  run?: string;
  tick?: () => Promise<void>;
  onEps?: (r: EpsResult) => void | Promise<void>;
  log?: (text: string) => void;
}

export async function evaluateModelDir(modelDir: string, spec: Spec, o: ModelEvaluationOptions): Promise<RobustReport> {
  const cfg = spec.robustness?.evaluate;
  const range = inputRange(spec.data);
  if (!cfg || !range) throw new Error('the spec has no robustness.evaluate section for image data');
  if (!existsSync(join(modelDir, 'model.json'))) throw new Error(`${modelDir}: no saved model (model.json)`);
  const raw = loadDataset({ ...spec.data, normalize: 'none', normalizeTarget: false }, spec.seed, o.baseDir);
  const n = Math.min(cfg.points, raw.test.n);
  if (n === 0) throw new Error('the data has no test samples to attack (data.split.test is 0)');
  const d = raw.inputShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from(raw.test.x.subarray(0, n * d), (v) => (v - range.lo) / (range.hi - range.lo));
  const y = Int32Array.from(raw.test.y.subarray(0, n));
  const sha256 = modelSha256(modelDir);
  const model = await loadSavedModel(modelDir);
  try {
    const classes = model.outputs[0].shape[1];
    if (classes !== raw.classes) throw new Error(`the model has ${classes} outputs but the data ${raw.classes} classes`);
    o.log?.(`robustness: ${n} test points, eps ${JSON.stringify(cfg.eps)} (${cfg.norm}), attacks ${cfg.attacks.map((a) => a.attack).join(', ')}; ${range.text}`);
    const report = await evaluateRobustness(savedModelLogits(model, range), { x, y, shape: raw.inputShape, n }, cfg, {
      seed: spec.seed, space: range.text, tick: o.tick, onEps: o.onEps,
    });
    return { ...report, model: { run: o.run ?? modelDir, sha256 } };
  } finally {
    model.dispose();
  }
}
