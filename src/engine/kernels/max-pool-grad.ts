import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * The input gradient of max pooling: each pooled element's gradient goes to the first maximum of its
 * window in row-major order (what the cpu backend and TensorFlow choose; a window with no number
 * above -Infinity passes none). Replaces the wasm backend's own MaxPoolGrad (and MaxPoolWithArgmax),
 * which in TF.js 4.22 start the running maximum at 0 instead of -Infinity, so windows holding only
 * negative values get no gradient at all. One pass over the windows, on views of the wasm heap.
 */
export function maxPoolGradKernel(): KernelConfig {
  const kernelFunc = ({ inputs, attrs, backend }: { inputs: { dy: TensorInfo; input: TensorInfo }; attrs: MaxPoolGradAttrs; backend: BackendWasm }) => {
    const { dy, input } = inputs;
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
    if (dy.shape.join() !== info.outShape.join()) throw new Error(`${MaxPoolGrad}: dy has shape [${dy.shape}], expected [${info.outShape}]`);
    const { top, left } = info.padInfo;
    const out = backend.makeOutput(input.shape, 'float32');
    // Views are taken after makeOutput, which may grow (and so detach) the heap; the output starts zeroed.
    const [x, g, dx] = [backend.typedArrayFromHeap(input), backend.typedArrayFromHeap(dy), backend.typedArrayFromHeap(out)];
    dx.fill(0);
    let m = 0;
    for (let b = 0; b < n; b++) for (let y = 0; y < oh; y++) for (let q0 = 0; q0 < ow; q0++) for (let ch = 0; ch < c; ch++, m++) {
      let best = -Infinity;
      let at = -1;
      for (let i = 0; i < fh; i++) {
        const r = y * sh + i - top;
        if (r < 0 || r >= h) continue;
        for (let j = 0; j < fw; j++) {
          const q = q0 * sw + j - left;
          if (q < 0 || q >= w) continue;
          const k = ((b * h + r) * w + q) * c + ch;
          if (x[k] > best) {
            best = x[k];
            at = k;
          }
        }
      }
      if (at >= 0) dx[at] += g[m];
    }
    return out;
  };
  return { kernelName: MaxPoolGrad, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
