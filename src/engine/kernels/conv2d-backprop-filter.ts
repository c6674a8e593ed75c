import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { callKernel, free } from './call';

/**
 * The filter gradient of a 2-D convolution, dW[i,j,c,o] = sum_{b,y,x} xPad[b, y*sh + i, x*sw + j, c] dy[b,y,x,o],
 * computed as one forward convolution: the input with batch and channel axes swapped ([C, H, W, B])
 * convolved, with the forward pass's padding, with dy as the filter ([outH, outW, B, O]) at dilation = stride, then
 * cut to the filter's size (rows the forward pass never reached fall off) and put back as
 * [fh, fw, C, O]. Channels-last only, like every wasm conv kernel.
 */
export function conv2dBackpropFilterKernel(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, attrs, backend }: { inputs: { x: TensorInfo; dy: TensorInfo }; attrs: Conv2DBackpropFilterAttrs; backend: KernelBackend }) => {
    const { x, dy } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, backend_util.convertConv2DDataFormat(dataFormat));
    if (info.dataFormat !== 'channelsLast') throw new Error(`${Conv2DBackpropFilter} on ${backendName} supports only channels-last data (NHWC)`);
    const run = (name: string, ins: Record<string, TensorInfo>, at = {}) => callKernel(backendName, backend, name, ins, at);
    const { top, left } = info.padInfo;
    // Pad the far sides to exactly what the last output position reads: zeros add nothing, and the
    // forward pass's own bottom/right padding can fall short of it (numeric pads rounded up by 'ceil').
    const bottom = Math.max(0, (info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - top);
    const right = Math.max(0, (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - left);
    // The padding goes to the convolution (XNNPACK reads zeros for it) rather than into a padded copy.
    const xt = run('Transpose', { x }, { perm: [3, 1, 2, 0] });
    const dyt = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const full = run('Conv2D', { x: xt, filter: dyt }, { strides: [1, 1], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth] });
    const [c, h, w, o] = full.shape;
    const cut = h === info.filterHeight && w === info.filterWidth ? full : run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [c, info.filterHeight, info.filterWidth, o] });
    const out = run('Transpose', { x: cut }, { perm: [1, 2, 0, 3] });
    free(backend, ...new Set([xt, dyt, full, cut]));
    return out;
  };
  return { kernelName: Conv2DBackpropFilter, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}
