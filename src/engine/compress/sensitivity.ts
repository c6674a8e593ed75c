/**
 * Per-layer sensitivity (Han et al. 2015, arXiv:1506.02626, Fig. 5): each layer alone is pruned (magnitude,
 * no retraining) or quantized (affine, per tensor) at a few levels while the others stay as they are, and
 * the validation metric is measured, so the fragile layers show. The model is left as it was.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data';
import { evaluate, toTensors } from '../train/evaluate';
import { magnitudeMasks } from './magnitude';
import { affineQuantize } from './affine';
import { kernelLayers, readKernel, writeKernel } from './layers';

export interface SensitivityConfig {
  sparsities: number[];
  bits: number[];
}

export interface SensitivityRow {
  layer: string;
  technique: 'prune' | 'quantize';
  /** Sparsity, or bits. */
  level: number;
  value: number;
  /** How much worse than `base` (positive: worse), in the metric's units. */
  drop: number;
}

export interface Sensitivity {
  /** The split measured (`val`, or `test` when there is no validation split) and the metric. */
  split: 'val' | 'test';
  metric: string;
  base: number;
  rows: SensitivityRow[];
}

/** Sensitivity of each dense and conv layer of `model` on `data`'s validation split (else test). */
export async function layerSensitivity(model: tf.LayersModel, data: Dataset, c: SensitivityConfig): Promise<Sensitivity> {
  const split = data.val.n > 0 ? 'val' : 'test';
  const part = toTensors(split === 'val' ? data.val : data.test, data.inputShape);
  const metric = data.task === 'classification' ? 'accuracy' : 'mse';
  const higher = metric === 'accuracy';
  const score = async () => (await evaluate(model, part, data, ''))[metric];
  try {
    const base = await score();
    const rows: SensitivityRow[] = [];
    for (const k of kernelLayers(model)) {
      const original = readKernel(k);
      const levels: [SensitivityRow['technique'], number, () => Float32Array][] = [
        ...c.sparsities.map((s): [SensitivityRow['technique'], number, () => Float32Array] => ['prune', s, () => {
          const mask = magnitudeMasks([original], { sparsity: s, scope: 'layer' })[0];
          return original.map((w, i) => w * mask[i]);
        }]),
        ...c.bits.map((b): [SensitivityRow['technique'], number, () => Float32Array] => ['quantize', b, () => affineQuantize(original, k.shape, { bits: b, granularity: 'tensor' }).values]),
      ];
      try {
        for (const [technique, level, values] of levels) {
          writeKernel(k, values());
          const value = await score();
          rows.push({ layer: k.name, technique, level, value, drop: higher ? base - value : value - base });
        }
      } finally {
        writeKernel(k, original);
      }
    }
    return { split, metric, base, rows };
  } finally {
    tf.dispose([part.x, part.y]);
  }
}
