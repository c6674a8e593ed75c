/**
 * Quantization-aware training with fake quantization and the straight-through estimator (Bengio et al.
 * 2013, arXiv:1308.3432; Jacob et al. 2018, arXiv:1712.05877): the network runs on quantized kernels, and
 * each step's update is applied to a float "shadow" copy as if quantization were the identity; the kernels
 * are then the shadow quantized again. At the end the shadows are quantized once more, exactly (affine.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { affineQuantize, groupParams, type AffineConfig, type AffineQuantized } from './affine';
import { kernelLayers, readKernel, writeKernel } from './layers';
import type { Constraint } from './constraints';

/**
 * (q - z) * scale on the grid of affine.ts: its range, scale and zero point (groupParams, from the ranges
 * read back) and its rounding, halves up like Math.round (tf.round rounds them to even). In TF.js ops, so
 * w / scale is a float32 quotient: a value within an ulp of a rounding boundary may land one level apart.
 */
export function fakeQuantize(w: tf.Tensor, c: AffineConfig): tf.Tensor {
  const axes = c.granularity === 'channel' ? w.shape.slice(0, -1).map((_, i) => i) : undefined;
  const levels = 2 ** c.bits - 1;
  const [lo, hi] = tf.tidy(() => [tf.minimum(w.min(axes), 0), tf.maximum(w.max(axes), 0)]);
  const [los, his] = [lo.dataSync() as Float32Array, hi.dataSync() as Float32Array];
  tf.dispose([lo, hi]);
  const grid = Array.from(los, (l, g) => groupParams(l, his[g], levels));
  return tf.tidy(() => {
    const scale = tf.tensor1d(grid.map(([s]) => s));
    const z = tf.tensor1d(grid.map(([, zp]) => zp));
    const q = w.div(scale).add(0.5).floor().add(z).clipByValue(0, levels);
    return q.sub(z).mul(scale);
  });
}

export interface FakeQuant extends Constraint {
  /** Quantizes each shadow exactly, sets the kernels to it, and returns the grids (by layer name). */
  finish(): Map<string, AffineQuantized>;
}

/** Fake quantization of the kernels named in `targets` (each with its own bits and granularity). */
export function fakeQuantConstraint(model: tf.LayersModel, targets: Map<string, AffineConfig>): FakeQuant {
  const layers = kernelLayers(model).filter((k) => targets.has(k.name));
  // Inside tidy: the clone a variable is made from stays a tensor of its own (sharing the data) until disposed.
  const shadows = layers.map((k) => tf.tidy(() => tf.variable(k.kernel.clone() as tf.Tensor, false)));
  const requantize = () => layers.forEach((k, i) => tf.tidy(() => k.kernel.assign(fakeQuantize(shadows[i], targets.get(k.name)!))));
  let quantized = layers.map((k) => k.kernel.clone() as tf.Tensor);
  const keep = () => {
    tf.dispose(quantized);
    quantized = layers.map((k) => k.kernel.clone() as tf.Tensor);
  };
  requantize();
  keep();
  return {
    afterStep: () => {
      // The step moved each kernel away from its quantized value: move the shadow by the same amount.
      layers.forEach((k, i) => tf.tidy(() => shadows[i].assign(shadows[i].add(k.kernel.sub(quantized[i])))));
      requantize();
      keep();
    },
    finish() {
      const out = new Map<string, AffineQuantized>();
      layers.forEach((k, i) => {
        const q = affineQuantize(shadows[i].dataSync() as Float32Array, k.shape, targets.get(k.name)!);
        writeKernel(k, q.values);
        out.set(k.name, q);
      });
      return out;
    },
    dispose: () => tf.dispose([...shadows, ...quantized]),
  };
}

/** Post-training quantization of each kernel in `targets`: exact, in place; returns the grids. */
export function quantizeKernels(model: tf.LayersModel, targets: Map<string, AffineConfig>): Map<string, AffineQuantized> {
  const out = new Map<string, AffineQuantized>();
  for (const k of kernelLayers(model).filter((x) => targets.has(x.name))) {
    const q = affineQuantize(readKernel(k), k.shape, targets.get(k.name)!);
    writeKernel(k, q.values);
    out.set(k.name, q);
  }
  return out;
}
