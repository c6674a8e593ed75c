import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter';
import { conv2dBackpropInputKernel } from './conv2d-backprop-input';
import { maxPoolGradKernel } from './max-pool-grad';
import { untransposedMatMul } from './mat-mul';
import { gatherRows } from './gather-rows';
import { contiguousSlice } from './slice';
import { tiledTranspose } from './transpose';
import { leadingAxesSum } from './sum-leading';
import { adamUpdateKernel } from './adam-update';

export { ADAM_UPDATE, adamUpdate, type AdamScalars } from './adam-update';

const own = (name: string): KernelConfig => {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`the wasm backend has no ${name} kernel to wrap`);
  return k;
};

/**
 * Kernels that make training on the wasm backend of TF.js 4.22 correct and fast, built from kernels it
 * has: Conv2DBackpropFilter, which it lacks; MaxPoolGrad, whose own version is wrong for negative
 * inputs; BatchMatMul, whose transposed products are 10-25x slower than plain ones;
 * GatherV2 and Slice, whose row copies (minibatches, evaluation batches) are needlessly slow;
 * Transpose, whose strided loop is 2x slower than a tiled copy on backpropagation's transposes;
 * Sum over leading axes (bias gradients), which TF.js does as a transpose and a sum;
 * and Hone's own HoneAdamUpdate, Adam's step for one variable in one pass instead of 13 kernels.
 */
export const wasmKernels = (): KernelConfig[] => [
  conv2dBackpropFilterKernel('wasm'),
  conv2dBackpropInputKernel(own('Conv2DBackpropInput')),
  maxPoolGradKernel(),
  untransposedMatMul(own('BatchMatMul')),
  gatherRows(own('GatherV2')),
  contiguousSlice(own('Slice')),
  tiledTranspose(own('Transpose')),
  leadingAxesSum(own('Sum')),
  adamUpdateKernel('wasm'),
];

let registered = false;

/** Registers wasmKernels() once per process, replacing TF.js's kernels of the same names. */
export function registerWasmKernels(): void {
  if (registered) return;
  for (const k of wasmKernels()) {
    if (tf.getKernel(k.kernelName, k.backendName)) tf.unregisterKernel(k.kernelName, k.backendName);
    tf.registerKernel(k);
  }
  registered = true;
}
