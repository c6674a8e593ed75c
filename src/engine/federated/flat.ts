import * as tf from '@tensorflow/tfjs';

/**
 * A model's weights as one flat Float32Array (the order of `model.weights`: kernels, biases and
 * batch-norm statistics alike), the form in which the global model and updates cross process boundaries
 * and in which aggregation works. `sizes` are the tensors' lengths, `shapes` their shapes.
 */
export interface Layout {
  shapes: number[][];
  sizes: number[];
  total: number;
}

export function layoutOf(model: tf.LayersModel): Layout {
  const shapes = model.weights.map((w) => w.shape.map((d) => d as number));
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  return { shapes, sizes, total: sizes.reduce((a, b) => a + b, 0) };
}

/** A copy of the model's current weights, flat (its own buffer, never a view of wasm memory). */
export function getFlat(model: tf.LayersModel): Float32Array {
  const l = layoutOf(model);
  const out = new Float32Array(l.total);
  let at = 0;
  for (const w of model.weights) {
    const v = w.read().dataSync() as Float32Array;
    out.set(v, at);
    at += v.length;
  }
  return out;
}

/** Sets the model's weights from a flat array of its layout (values are copied into its variables). */
export function setFlat(model: tf.LayersModel, flat: Float32Array): void {
  const l = layoutOf(model);
  if (flat.length !== l.total) throw new Error(`setFlat: ${flat.length} values for a model of ${l.total} weights`);
  let at = 0;
  const tensors = l.shapes.map((s, i) => {
    const t = tf.tensor(flat.subarray(at, at + l.sizes[i]), s);
    at += l.sizes[i];
    return t;
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}
