import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, ModelSpec } from '../../core/spec/types';
import { hiddenLayers } from '../../core/spec/layers';

export { hiddenLayers };
import type { Task } from '../data/types';
import { derive } from '../../core/rng';

export interface ModelIO {
  inputShape: number[];
  task: Task;
  classes: number;
}

function toLayer(l: LayerSpec, seed: number): tf.layers.Layer {
  const kernelInitializer = tf.initializers.glorotUniform({ seed });
  switch (l.type) {
    case 'dense':
      return tf.layers.dense({ units: l.units, activation: l.activation ?? 'linear', kernelInitializer });
    case 'conv2d':
      return tf.layers.conv2d({ filters: l.filters, kernelSize: l.kernelSize, strides: l.strides ?? 1, padding: l.padding ?? 'same', activation: l.activation ?? 'linear', kernelInitializer });
    case 'maxPool2d':
      return tf.layers.maxPooling2d({ poolSize: l.poolSize, strides: l.strides ?? l.poolSize });
    case 'avgPool2d':
      return tf.layers.averagePooling2d({ poolSize: l.poolSize, strides: l.strides ?? l.poolSize });
    case 'flatten':
      return tf.layers.flatten();
    case 'dropout':
      return tf.layers.dropout({ rate: l.rate, seed });
    case 'batchNorm':
      return tf.layers.batchNormalization();
  }
}

/**
 * Builds the Keras-style Sequential model: the hidden stack, a `flatten` inserted where image-shaped
 * activations first meet a dense layer, and the output layer that fits the task. Classification ends
 * with a separate softmax layer so training can read logits (see forward.ts) while the saved model
 * predicts probabilities. Kernels are Glorot-uniform with seeds derived from `seed`.
 */
export function buildModel(spec: ModelSpec, io: ModelIO, seed: number, dropout: number): tf.Sequential {
  const stack = hiddenLayers(spec, dropout);
  const out: LayerSpec = { type: 'dense', units: io.task === 'classification' ? io.classes : 1 };
  const layers: LayerSpec[] = [];
  let rank = io.inputShape.length;
  for (const l of [...stack, out]) {
    if (rank > 1 && l.type === 'dense') layers.push({ type: 'flatten' });
    if (l.type === 'dense' || l.type === 'flatten') rank = 1;
    layers.push(l);
  }
  const model = tf.sequential();
  layers.forEach((l, i) => {
    const layer = toLayer(l, derive(seed, 'layer', i));
    if (i === 0) model.add(tf.layers.inputLayer({ inputShape: io.inputShape }));
    model.add(layer);
  });
  if (io.task === 'classification') model.add(tf.layers.activation({ activation: 'softmax' }));
  return model;
}

/** Parameter count and one line per layer, for run.json and the dashboard's run detail. */
export function describeModel(model: tf.LayersModel): { params: number; layers: string[] } {
  const layers = model.layers.map((l) => {
    const shape = JSON.stringify(l.outputShape).replace(/null/g, 'N');
    return `${l.getClassName()} ${shape} ${l.countParams()}`;
  });
  return { params: model.countParams(), layers };
}
