/**
 * Classifiers in the attack space (types.ts `Logits`), built from a model in inference mode: dropout off,
 * batch-norm on its moving statistics, the trailing softmax skipped (models/forward.ts). Nothing here sets
 * a training flag or writes a variable, so an attacked model is left exactly as it was found.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputRange } from '../../core/robust/space';
import { forward } from '../models/forward';
import type { Logits } from './types';

/**
 * A saved model folder (model.json + weights.bin, as models/save.ts writes them), loaded without a
 * file:// handler (that ships only with tfjs-node). Throws when the model does not take raw inputs
 * (saved before Hone put its normalisation inside): its attack space would be unknown.
 */
export async function loadSavedModel(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  if (json.userDefinedMetadata?.hone?.inputs !== 'raw') {
    throw new Error(`${dir}: the model was saved before Hone saved models that take raw inputs, so its input space is unknown; retrain it to evaluate its robustness`);
  }
  const bin = readFileSync(join(dir, 'weights.bin'));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }));
}

/** SHA-256 of model.json followed by weights.bin: which model an evaluation scored. */
export function modelSha256(dir: string): string {
  const h = createHash('sha256');
  for (const f of ['model.json', 'weights.bin']) h.update(readFileSync(join(dir, f)));
  return h.digest('hex');
}

/** A saved model (raw inputs) seen from the attack space: u -> logits(lo + u (hi - lo)). */
export const savedModelLogits = (model: tf.LayersModel, range: InputRange): Logits => (u) =>
  tf.tidy(() => forward(model, range.lo === 0 ? u.mul(range.hi) : u.mul(range.hi - range.lo).add(range.lo), false));

/**
 * The network Hone trains (normalised inputs) seen from the attack space: u -> logits(a u + b), with the
 * per-feature map of core/robust/space.ts `networkMap` as tensors shaped [1, ...inputShape].
 */
export const networkLogits = (model: tf.LayersModel, a: tf.Tensor, b: tf.Tensor): Logits => (u) =>
  tf.tidy(() => forward(model, u.mul(a).add(b), false));
