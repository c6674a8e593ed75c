/**
 * What a model costs before it is built: weights, and activations per sample (summed over layers, as
 * backpropagation keeps them all), from the spec and the input shape alone. The shapes follow
 * engine/models/build.ts: conv pads 'same' unless told otherwise, pooling pads 'valid', a dense layer
 * on image activations flattens them first, and the output layer has one unit per class (one for
 * regression).
 */
import type { ModelSpec } from './types';
import { hiddenLayers } from './layers';

/** Output size along one axis: 'same' keeps ceil(size / stride), 'valid' drops the window's overhang. */
export function axisOut(size: number, window: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - window) / stride) + 1;
}

export interface ModelCost {
  params: number;
  /** Values of every layer's output for one sample, the input included. */
  activations: number;
  /** Multiply-adds of one sample's forward pass through the dense and conv layers. */
  macs: number;
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** The cost of `model` on samples of `input` shape with `outputs` output units; undefined when a layer cannot take its input (checks-model.ts says why). */
export function modelCost(model: ModelSpec, input: number[], outputs: number): ModelCost | undefined {
  let shape = input;
  let params = 0;
  let activations = size(input);
  let macs = 0;
  for (const l of [...hiddenLayers(model, 0), { type: 'dense', units: outputs } as const]) {
    if (l.type === 'dense' || l.type === 'flatten') shape = [size(shape)];
    if (l.type === 'dense') {
      params += (shape[0] + 1) * l.units;
      macs += shape[0] * l.units;
      shape = [l.units];
    } else if (l.type === 'batchNorm') {
      params += 4 * shape[shape.length - 1];
    } else if (l.type === 'conv2d' || l.type === 'maxPool2d' || l.type === 'avgPool2d') {
      if (shape.length !== 3) return undefined;
      const [h, w, c] = shape;
      const [window, padding] = l.type === 'conv2d' ? [l.kernelSize, l.padding ?? 'same'] : [l.poolSize, 'valid' as const];
      const stride = l.strides ?? (l.type === 'conv2d' ? 1 : l.poolSize);
      shape = [axisOut(h, window, stride, padding), axisOut(w, window, stride, padding), l.type === 'conv2d' ? l.filters : c];
      if (Math.min(...shape) < 1) return undefined;
      if (l.type === 'conv2d') {
        params += (window * window * c + 1) * l.filters;
        macs += size(shape) * window * window * c;
      }
    }
    activations += size(shape);
  }
  return { params, activations, macs };
}
