import { slice_util, util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, SliceAttrs, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { delegate } from './call';

/**
 * Slice of a contiguous block (a batch of rows) copied from a view of the wasm heap. The backend's own
 * Slice first copies the whole input out of the heap (readSync), so cutting 2,048 rows out of MNIST
 * cost 200 ms. Non-contiguous slices go to `original`.
 */
export function contiguousSlice(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; attrs: SliceAttrs; backend: BackendWasm }) => {
    const { inputs: { x }, attrs, backend } = args;
    const [begin, size] = slice_util.parseSliceParams(x as never, attrs.begin, attrs.size);
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || !slice_util.isSliceContinous(x.shape, begin, size)) return delegate(original, args);
    const offset = slice_util.computeFlatOffset(begin, util.computeStrides(x.shape));
    const out = backend.makeOutput(size, x.dtype);
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x).subarray(offset, offset + util.sizeFromShape(size)));
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}
