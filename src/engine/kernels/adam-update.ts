import { util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { SIMD_ADAM } from './simd-adam';
import { simdKernel } from './wasm-asm';

/** The kernel's name: Hone's own, so no TF.js kernel is replaced. */
export const ADAM_UPDATE = 'HoneAdamUpdate';

/**
 * One Adam (or AdamW) step's scalars, as numbers: the optimizer passes them to TF.js ops, which
 * round each to float32 first; the kernel does the same.
 */
export interface AdamScalars extends NamedAttrMap {
  b1: number;
  b2: number;
  eps: number;
  lr: number;
  /** Bias corrections 1 - b1^t and 1 - b2^t. */
  c1: number;
  c2: number;
  /** Decoupled weight decay's factor 1 - lr wd, or 1 for none. */
  keep: number;
}

const f = Math.fround;

/**
 * Adam's update of one variable in a single pass, written to `out` ([w, m, s]):
 *   m' = m b1 + g (1 - b1);  s' = s b2 + g^2 (1 - b2);  w' = w keep - m' / c1 / (sqrt(s' / c2) + eps) lr
 * each operation rounded to float32 in the order the op-by-op optimizer (train/optimizers.ts) runs
 * them, so the two agree bit for bit (float32 +, -, *, / and sqrt computed in float64 and rounded once
 * are correctly rounded).
 */
export function adamUpdate(a: AdamScalars, w: Float32Array, g: Float32Array, m: Float32Array, s: Float32Array, out: [Float32Array, Float32Array, Float32Array]): void {
  const [b1, ob1, b2, ob2, eps, lr, c1, c2, keep] = [a.b1, 1 - a.b1, a.b2, 1 - a.b2, a.eps, a.lr, a.c1, a.c2, a.keep].map(f);
  const [wOut, mOut, sOut] = out;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = f(f(m[i] * b1) + f(gi * ob1));
    const si = f(f(s[i] * b2) + f(f(gi * gi) * ob2));
    const denom = f(f(Math.sqrt(f(si / c2))) + eps);
    // Without decay keep is 1, and w * 1 is w exactly.
    wOut[i] = f(w[i] * keep) - f(f(f(mi / c1) / denom) * lr);
    mOut[i] = mi;
    sOut[i] = si;
  }
}

/**
 * The wasm kernel: inputs w, g, m, s (float32, one shape), outputs [w', m', s']. The op-by-op step makes
 * 13 kernel calls per variable, each a pass over memory with its own output (about 3 ms of an MLP
 * 784-512-512-10 step on one core); this is one pass of WebAssembly SIMD (simd-adam.ts) over the
 * tensors in place, and `adamUpdate` for the last n mod 4 elements.
 */
export function adamUpdateKernel(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, attrs, backend }: { inputs: Record<'w' | 'g' | 'm' | 's', TensorInfo>; attrs: AdamScalars; backend: BackendWasm }) => {
    const outs = (['w', 'm', 's'] as const).map((k) => backend.makeOutput(inputs[k].shape, 'float32'));
    const all = [inputs.w, inputs.g, inputs.m, inputs.s, ...outs];
    const n = util.sizeFromShape(inputs.w.shape);
    const simd = simdKernel(backend, SIMD_ADAM);
    const from = simd ? n - (n % 4) : 0;
    if (simd && from) simd(...all, 4 * from, attrs.b1, 1 - attrs.b1, attrs.b2, 1 - attrs.b2, attrs.eps, attrs.lr, attrs.c1, attrs.c2, attrs.keep);
    if (from === n) return outs;
    // Views are taken after makeOutput, which may grow (and so detach) the heap.
    const [w, g, m, s, ...out] = all.map((t) => (backend.typedArrayFromHeap(t) as Float32Array).subarray(from));
    adamUpdate(attrs, w, g, m, s, out as [Float32Array, Float32Array, Float32Array]);
    return outs;
  };
  return { kernelName: ADAM_UPDATE, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}
