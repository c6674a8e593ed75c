import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type PoolInfo = backend_util.Conv2DInfo;

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
    if (dy.shape.join() !== info.outShape.join()) throw new Error(`${MaxPoolGrad}: dy has shape [${dy.shape}], expected [${info.outShape}]`);
    const out = backend.makeOutput(input.shape, 'float32');
    // Views are taken after makeOutput, which may grow (and so detach) the heap; the output starts zeroed.
    const [x, g, dx] = [backend.typedArrayFromHeap(input), backend.typedArrayFromHeap(dy), backend.typedArrayFromHeap(out)];
    dx.fill(0);
    if (isTiled2x2(info)) tiles2x2(x, g, dx, info);
    else anyWindows(x, g, dx, info);
    return out;
  };
  return { kernelName: MaxPoolGrad, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

type Arr = backend_util.TypedArray;

/** Any window, stride and padding: bounds checked per element. */
function anyWindows(x: Arr, g: Arr, dx: Arr, info: PoolInfo): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
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
}

/** Windows 2x2 at stride 2 that all lie inside the input (no padding read, as after 'valid' or an even side). */
export const isTiled2x2 = (i: PoolInfo): boolean =>
  i.filterHeight === 2 && i.filterWidth === 2 && i.strideHeight === 2 && i.strideWidth === 2 &&
  i.padInfo.top === 0 && i.padInfo.left === 0 && 2 * i.outHeight <= i.inHeight && 2 * i.outWidth <= i.inWidth;

/**
 * 2x2 windows at stride 2 without padding (the common pooling layer; see isTiled2x2): no two windows
 * overlap, so the four candidates are read at
 * fixed offsets and each gradient is stored, not accumulated. The comparisons run in the same
 * row-major order with the same strict `>` as anyWindows, so ties and NaNs resolve identically.
 */
function tiles2x2(x: Arr, g: Arr, dx: Arr, info: PoolInfo): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const right = c;
  const down = w * c;
  let m = 0;
  for (let b = 0; b < n; b++) for (let y = 0; y < oh; y++) {
    const row = (b * h + 2 * y) * w * c;
    for (let q0 = 0; q0 < ow; q0++) {
      const base = row + 2 * q0 * c;
      for (let ch = 0; ch < c; ch++, m++) {
        const k0 = base + ch;
        let at = -1;
        let best = -Infinity;
        if (x[k0] > best) (best = x[k0], at = k0);
        if (x[k0 + right] > best) (best = x[k0 + right], at = k0 + right);
        if (x[k0 + down] > best) (best = x[k0 + down], at = k0 + down);
        if (x[k0 + down + right] > best) at = k0 + down + right;
        if (at >= 0) dx[at] = g[m];
      }
    }
  }
}
