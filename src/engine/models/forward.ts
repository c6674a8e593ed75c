import * as tf from '@tensorflow/tfjs';

/**
 * The model's raw output, layer by layer: logits for classification (the trailing softmax layer is
 * skipped, so the loss can use the numerically stable log-softmax), predictions for regression.
 * `training` switches dropout and batch-norm statistics as in Keras.
 */
export function forward(model: tf.LayersModel, x: tf.Tensor, training: boolean): tf.Tensor {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  if (layers[layers.length - 1].getClassName() === 'Activation') layers.pop();
  return layers.reduce((h, layer) => layer.apply(h, { training }) as tf.Tensor, x);
}

/**
 * Dropout masks that differ at every step yet repeat exactly for the same run seed. tfjs-layers'
 * Dropout passes its fixed `seed` to tf.dropout on every call, which would freeze one mask for the
 * whole run, so the training loop gives each step its own seed.
 */
export function reseedDropout(model: tf.LayersModel, seed: number): void {
  model.layers.forEach((layer, i) => {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed: number }).seed = seed + i;
  });
}
