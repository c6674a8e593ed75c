import { util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo, TransposeAttrs } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { delegate } from './call';
import { SIMD_TRANSPOSE } from './simd-transpose';
import { simdKernel } from './wasm-asm';

/**
 * [P, A, B, Q] -> [P, B, A, Q] for a permutation that keeps a prefix and a suffix of axes in place and
 * swaps the two groups of axes between them, in their own orders: the transposes of backpropagation
 * (a matrix's last two axes for BatchMatMul, [1, 2, 0, 3] and [0, 1, 3, 2] for conv gradients).
 * Undefined for other permutations.
 */
export function swappedGroups(shape: number[], perm: number[]): { P: number; A: number; B: number; Q: number } | undefined {
  const n = perm.length;
  let p = 0;
  while (p < n && perm[p] === p) p++;
  let s = n;
  while (s > p && perm[s - 1] === s - 1) s--;
  if (s - p < 2) return undefined;
  // The middle, perm[p..s), must read [p + q, ..., s - 1, p, ..., p + q - 1] for q = perm[p] - p.
  const q = perm[p] - p;
  const expected = [...Array(s - p - q).keys()].map((i) => p + q + i).concat([...Array(q).keys()].map((i) => p + i));
  if (expected.some((axis, i) => perm[p + i] !== axis)) return undefined;
  const size = (from: number, to: number) => util.sizeFromShape(shape.slice(from, to));
  return { P: size(0, p), A: size(p, p + q), B: size(p + q, s), Q: size(s, n) };
}

const TILE = 32;

/**
 * Transpose as tiled copies between views of the wasm heap, for float32 batches of matrices (the
 * permutations swappedGroups recognises with no trailing axes kept in place: a matrix's last two
 * axes, as BatchMatMul's backpropagation asks). TF.js 4.22's wasm Transpose writes the output with a
 * stride the size of a row, a cache miss per element: 512 x 512 takes 1.05 ms there, 0.6 ms in
 * JavaScript tiles, and about 0.1 ms in WebAssembly SIMD 4 x 4 tiles (simd-transpose.ts), which take
 * each matrix's leading block of whole tiles; JavaScript does the rest (rows and columns past it).
 * Other permutations (where TF.js's loop copies runs of elements and is fast) go to `original`.
 */
export function tiledTranspose(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; attrs: TransposeAttrs; backend: BackendWasm }) => {
    const { inputs: { x }, attrs: { perm }, backend } = args;
    const groups = x.dtype === 'float32' ? swappedGroups(x.shape, perm) : undefined;
    if (!groups || groups.Q !== 1) return delegate(original, args);
    const out = backend.makeOutput(perm.map((a) => x.shape[a]), x.dtype);
    const { P, A, B } = groups;
    const simd = simdKernel(backend, SIMD_TRANSPOSE);
    // SIMD for each matrix's block of whole 4 x 4 tiles, JavaScript for the rows and columns past it.
    const [A4, B4] = simd ? [A - (A % 4), B - (B % 4)] : [0, 0];
    for (let p = 0; simd && A4 && B4 && p < P; p++) simd(x, out, A4, B4, 4 * B, 4 * A, 4 * p * A * B);
    // Views are taken after makeOutput, which may grow (and so detach) the heap.
    const [from, to] = [backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(out) as Float32Array];
    // Rows from A4 on, then the columns from B4 on of the rows before: everything when the SIMD part is empty.
    const [a4, b4] = A4 && B4 ? [A4, B4] : [0, 0];
    for (let p = 0; p < P; p++) {
      transposeRect(from, to, p * A * B, A, B, [a4, A], [0, B]);
      transposeRect(from, to, p * A * B, A, B, [0, a4], [b4, B]);
    }
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** to[base + b A + a] = from[base + a B + b] for a in [aFrom, aTo) and b in [bFrom, bTo), in TILE x TILE blocks. */
function transposeRect(from: Float32Array, to: Float32Array, base: number, A: number, B: number, [aFrom, aTo]: number[], [bFrom, bTo]: number[]): void {
  for (let a0 = aFrom; a0 < aTo; a0 += TILE) {
    const a1 = Math.min(aTo, a0 + TILE);
    for (let b0 = bFrom; b0 < bTo; b0 += TILE) {
      const b1 = Math.min(bTo, b0 + TILE);
      for (let a = a0; a < a1; a++) {
        const row = base + a * B;
        for (let b = b0; b < b1; b++) to[base + b * A + a] = from[row + b];
      }
    }
  }
}
