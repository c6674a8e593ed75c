// Runs the same computation on the wasm and cpu backends of one process, for kernel property tests.
import * as tf from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import { chooseBackend } from '../../src/engine/backend';
import { createRng, type Rng } from '../../src/core/rng';

/** Loads wasm the way a run does (Hone's kernels registered), then leaves cpu active. */
export async function loadWasmAndCpu(): Promise<void> {
  await chooseBackend('wasm');
  await tf.setBackend('cpu');
}

/** `fn` evaluated on `backend`, its tensors read back and disposed. */
export async function on(backend: 'wasm' | 'cpu', fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(() => [fn()].flat());
  const values = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return values;
}

export const maxAbsDiff = (a: Float32Array, b: Float32Array): number => {
  if (a.length !== b.length) return Infinity;
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
};

/** Uniform values in [-1, 1) of the given shape, from `rng`. */
export const uniform = (rng: Rng, shape: number[]): Float32Array => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * rng.next() - 1);

export const seeded = (seed: number) => createRng(seed);

/** Wasm and cpu give the same numbers for `fn` (max abs diff <= tol), with a message naming the case. */
export async function sameOnBoth(what: string, fn: () => tf.Tensor | tf.Tensor[], tol = 1e-4): Promise<number> {
  const [w, c] = [await on('wasm', fn), await on('cpu', fn)];
  let worst = 0;
  w.forEach((v, i) => {
    const d = maxAbsDiff(v, c[i]);
    if (!(d <= tol)) throw new Error(`${what}: output ${i} differs from cpu by ${d} (> ${tol})`);
    worst = Math.max(worst, d);
  });
  return worst;
}

type Quad = [number, number, number, number];
export type ConvPad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];

/** A random 2-D convolution: input, filter, strides, padding, and the shape of its output. */
export interface ConvCase { x: Quad; filter: Quad; strides: [number, number]; pad: ConvPad; dimRoundingMode?: 'floor' | 'ceil' | 'round'; out: Quad }

/**
 * Batch 1-4, sides 1-12, 1-5 channels in and out, filters up to 5 and up to the padded side, strides
 * 1-3, padding 'same', 'valid', a number or explicit pairs. TF.js sizes a numeric padding's output from
 * the filter's height and stride alone, so those cases are square. Undefined when the output is empty.
 */
export function randomConvCase(seed: number): ConvCase | undefined {
  const rng = seeded(seed);
  const int = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);
  const pads: ConvPad[] = ['same', 'valid', int(0, 2), [[0, 0], [int(0, 2), int(0, 2)], [int(0, 2), int(0, 2)], [0, 0]]];
  const pad = pads[rng.int(pads.length)];
  const square = typeof pad === 'number';
  const side = int(1, 12);
  const [h, w] = [side, square ? side : int(1, 12)];
  const extra = (axis: 1 | 2) => (typeof pad === 'number' ? 2 * pad : Array.isArray(pad) ? pad[axis][0] + pad[axis][1] : 0);
  const fh = int(1, Math.min(5, h + extra(1)));
  const fw = square ? fh : int(1, Math.min(5, w + extra(2)));
  const sh = int(1, 3);
  const x: Quad = [int(1, 4), h, w, int(1, 5)];
  const filter: Quad = [fh, fw, x[3], int(1, 5)];
  const strides: [number, number] = [sh, square ? sh : int(1, 3)];
  const dimRoundingMode = square ? (['floor', 'ceil', 'round'] as const)[rng.int(3)] : undefined;
  const info = backend_util.computeConv2DInfo(x, filter, strides, 1, pad, dimRoundingMode);
  if (info.outHeight < 1 || info.outWidth < 1) return undefined;
  return { x, filter, strides, pad, dimRoundingMode, out: info.outShape as Quad };
}

/** The first `count` non-empty random cases from seed 1 on. */
export function randomConvCases(count: number): ConvCase[] {
  const cases: ConvCase[] = [];
  for (let seed = 1; cases.length < count; seed++) {
    const c = randomConvCase(seed);
    if (c) cases.push(c);
  }
  return cases;
}
