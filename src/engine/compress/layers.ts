/**
 * The layers compression acts on, by stable names: the dense and conv layers of a network in order,
 * `conv1`, `conv2`, ... and `dense1`, `dense2`, ... (the last dense layer is the output layer). The
 * same names come from a spec (core/compress/layers.ts), so a spec can name a layer before it is built.
 */
import * as tf from '@tensorflow/tfjs';

export interface KernelLayer {
  name: string;
  layer: tf.layers.Layer;
  /** The kernel's layer variable (as listed in `model.weights`) and its live tensor. */
  weight: tf.LayerVariable;
  kernel: tf.Variable;
  shape: number[];
}

const KIND: Record<string, string> = { Dense: 'dense', Conv2D: 'conv' };

/** The dense and conv layers of `model` with their stable names. */
export function kernelLayers(model: tf.LayersModel): KernelLayer[] {
  const count: Record<string, number> = {};
  return model.layers.filter((l) => KIND[l.getClassName()]).map((layer) => {
    const kind = KIND[layer.getClassName()];
    count[kind] = (count[kind] ?? 0) + 1;
    const weight = layer.weights.find((w) => /kernel$/.test(w.originalName))!;
    return { name: `${kind}${count[kind]}`, layer, weight, kernel: weight.read() as tf.Variable, shape: weight.shape as number[] };
  });
}

/** A kernel's values, copied out. */
export const readKernel = (k: KernelLayer): Float32Array => (k.kernel.dataSync() as Float32Array).slice();

/** Sets a kernel's values. */
export function writeKernel(k: KernelLayer, data: Float32Array): void {
  tf.tidy(() => k.kernel.assign(tf.tensor(data, k.shape)));
}

/** Zeros among the kernels of `layers` over their weights: the sparsity a pruning target refers to. */
export function kernelSparsity(layers: KernelLayer[]): number {
  let zeros = 0;
  let n = 0;
  for (const k of layers) {
    const d = k.kernel.dataSync();
    for (let i = 0; i < d.length; i++) if (d[i] === 0) zeros++;
    n += d.length;
  }
  return n ? zeros / n : 0;
}

/** Index of each kernel in `model.trainableWeights` (the order of gradients and optimizer slots). */
export function trainableIndex(model: tf.LayersModel, k: KernelLayer): number {
  return model.trainableWeights.indexOf(k.weight);
}
