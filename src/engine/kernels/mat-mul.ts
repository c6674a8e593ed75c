import type { BatchMatMulAttrs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { callKernel, delegate, free } from './call';

/**
 * BatchMatMul with its operands transposed explicitly. The wasm backend's matmul is fast (XNNPACK) only
 * without transpose flags; with them it takes a naive loop, 10-25x slower (784x256 by 256x512: 260 ms
 * instead of 14 ms on one core). Backpropagation through a dense layer asks for exactly those products
 * (x^T dy and dy W^T), so a transpose (a memory copy) before a plain matmul is what makes an MLP step
 * fast there. Wraps `original`, the backend's own kernel, keeping its setup. _FusedMatMul is left
 * alone: dense layers call it forward only, without transposes.
 */
export function untransposedMatMul(original: KernelConfig): KernelConfig {
  const { backendName } = original;
  const kernelFunc = ({ inputs, attrs, backend }: { inputs: { a: TensorInfo; b: TensorInfo }; attrs: BatchMatMulAttrs; backend: KernelBackend }) => {
    if (!attrs.transposeA && !attrs.transposeB) return delegate(original, { inputs, attrs, backend });
    const swapLast = (t: TensorInfo) => {
      const perm = t.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
      return callKernel(backendName, backend, 'Transpose', { x: t }, { perm });
    };
    // Operands the backend would refuse are refused as given (the copies' shapes would mislead).
    const inner = (t: TensorInfo, last: boolean) => t.shape[t.shape.length - (last ? 1 : 2)];
    if (inner(inputs.a, !attrs.transposeA) !== inner(inputs.b, !!attrs.transposeB) || inputs.a.dtype !== 'float32' || inputs.b.dtype !== 'float32') {
      return delegate(original, { inputs, attrs, backend });
    }
    const a = attrs.transposeA ? swapLast(inputs.a) : inputs.a;
    const b = attrs.transposeB ? swapLast(inputs.b) : inputs.b;
    try {
      return delegate(original, { inputs: { a, b }, attrs: { ...attrs, transposeA: false, transposeB: false }, backend });
    } finally {
      free(backend, ...[a, b].filter((t) => t !== inputs.a && t !== inputs.b));
    }
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}
