import { util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { delegate } from './call';
import { SIMD_COLUMN_SUMS } from './simd-column-sums';
import { simdKernel } from './wasm-asm';

/**
 * Sum over the leading axes of a float32 tensor ([rows, ...rest] -> rest): the bias gradients of dense
 * and conv layers (dy summed over batch and space) and whole-tensor sums. TF.js 4.22's wasm Sum first
 * transposes the reduced axes to the end (a full copy of dy, strided) and then sums; this reads dy
 * in place, accumulating each output in double precision in row order as the cpu backend does (same
 * order, same rounding: the two agree exactly), four columns at a time in WebAssembly SIMD. Other
 * reductions go to `original`.
 */
export function leadingAxesSum(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; attrs: SumAttrs; backend: BackendWasm }) => {
    const { inputs: { x }, attrs, backend } = args;
    const axes = [...new Set(util.parseAxisParam(attrs.axis, x.shape))].sort((a, b) => a - b);
    if (x.dtype !== 'float32' || !axes.every((a, i) => a === i)) return delegate(original, args);
    const kept = x.shape.slice(axes.length);
    const out = backend.makeOutput(attrs.keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    const cols = util.sizeFromShape(kept);
    const rows = cols ? util.sizeFromShape(x.shape) / cols : 0;
    // SIMD for the columns in whole groups of 4 (simd-column-sums.ts), JavaScript for the rest.
    const simd = simdKernel(backend, SIMD_COLUMN_SUMS);
    const c4 = simd ? cols - (cols % 4) : 0;
    if (simd && c4) simd(x, out, rows, c4, 4 * cols);
    // Views are taken after makeOutput, which may grow (and so detach) the heap.
    columnSums(backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(out) as Float32Array, c4);
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}

/**
 * to[c] = sum over r of from[r * to.length + c] for the columns from `first` on, each accumulated in
 * float64 in row order. Column by column (strided reads, one register per sum) is 2x faster than row
 * by row here.
 */
export function columnSums(from: Float32Array, to: Float32Array, first = 0): void {
  const cols = to.length;
  for (let c = first; c < cols; c++) {
    let sum = 0;
    for (let i = c; i < from.length; i += cols) sum += from[i];
    to[c] = sum;
  }
}
