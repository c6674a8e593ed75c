/**
 * Compression of the updates clients upload, and what each costs on the wire.
 *
 * - `topk`: the k = ceil(ratio d) entries of largest magnitude, sent as (uint32 index, float32 value)
 *   pairs (sparsification as in Aji & Heafield 2017, arXiv:1704.05021; in federated learning Sattler et
 *   al. 2019, arXiv:1903.02891).
 * - `q8`: each weight tensor's values mapped to 256 levels between its min and max with stochastic
 *   rounding, which keeps the quantized update unbiased (Konečný et al. 2016, arXiv:1610.05492, section
 *   3.2), sent as one byte per value plus the tensor's float32 min and max.
 *
 * With error feedback (Stich, Cordonnier & Jaggi 2018, "Sparsified SGD with memory", arXiv:1809.07599)
 * a client adds what compression dropped last time (its residual) to its next update before compressing,
 * and keeps the new difference: nothing is lost, only delayed (sum of sent + final residual = sum of updates).
 */
import type { Rng } from '../../core/rng';
import type { CompressionSpec as UpdateCompression } from '../../core/spec/federated-types';

/** An update as a client uploads it. Typed arrays only, so it crosses process boundaries as binary. */
export type Payload =
  | { kind: 'dense'; values: Float32Array }
  | { kind: 'topk'; size: number; indices: Uint32Array; values: Float32Array }
  | { kind: 'q8'; lo: Float32Array; hi: Float32Array; codes: Uint8Array };

/**
 * Bytes a payload takes on the wire: its arrays' bytes, plus 4 for a sparse update's length. Both
 * sides know the model's tensor sizes, so a q8 payload carries no segment table.
 */
export function payloadBytes(p: Payload): number {
  if (p.kind === 'dense') return p.values.byteLength;
  if (p.kind === 'topk') return 4 + p.indices.byteLength + p.values.byteLength;
  return p.lo.byteLength + p.hi.byteLength + p.codes.byteLength;
}

/** The flat update a payload stands for; `segments` are the tensor sizes (for q8). */
export function decode(p: Payload, segments: readonly number[]): Float32Array {
  if (p.kind === 'dense') return p.values;
  if (p.kind === 'topk') {
    const out = new Float32Array(p.size);
    p.indices.forEach((i, j) => (out[i] = p.values[j]));
    return out;
  }
  const out = new Float32Array(p.codes.length);
  let at = 0;
  segments.forEach((len, s) => {
    const step = (p.hi[s] - p.lo[s]) / 255;
    for (let i = at; i < at + len; i++) out[i] = p.lo[s] + p.codes[i] * step;
    at += len;
  });
  return out;
}

/** The value of rank k (1 = largest) among the magnitudes of `v`, by quickselect on a copy. */
function kthLargestMagnitude(v: Float32Array, k: number): number {
  const a = v.map(Math.abs);
  let [lo, hi] = [0, a.length - 1];
  const target = k - 1; // descending order
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let [i, j] = [lo, hi];
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        [a[i], a[j]] = [a[j], a[i]];
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target];
}

/** The `k` entries of largest magnitude (ties: lower index first), as a sparse payload. */
export function topK(v: Float32Array, k: number): Payload {
  k = Math.max(1, Math.min(k, v.length));
  const t = kthLargestMagnitude(v, k);
  const indices = new Uint32Array(k);
  let n = 0;
  for (let i = 0; i < v.length && n < k; i++) if (Math.abs(v[i]) > t) indices[n++] = i;
  for (let i = 0; i < v.length && n < k; i++) if (Math.abs(v[i]) === t) indices[n++] = i;
  indices.sort();
  return { kind: 'topk', size: v.length, indices, values: Float32Array.from(indices, (i) => v[i]) };
}

/** Each segment (a tensor's values) on 256 levels between its min and max, stochastically rounded. */
export function quantize8(v: Float32Array, segments: readonly number[], rng: Rng): Payload {
  const lo = new Float32Array(segments.length);
  const hi = new Float32Array(segments.length);
  const codes = new Uint8Array(v.length);
  let at = 0;
  segments.forEach((len, s) => {
    let [min, max] = [Infinity, -Infinity];
    for (let i = at; i < at + len; i++) [min, max] = [Math.min(min, v[i]), Math.max(max, v[i])];
    [lo[s], hi[s]] = len ? [min, max] : [0, 0];
    const step = (hi[s] - lo[s]) / 255;
    for (let i = at; i < at + len; i++) {
      if (!(step > 0)) continue;
      const x = (v[i] - lo[s]) / step;
      const f = Math.floor(x);
      codes[i] = Math.min(255, f + (rng.next() < x - f ? 1 : 0));
    }
    at += len;
  });
  return { kind: 'q8', lo, hi, codes };
}

/** k = ceil(ratio * d), the product rounded to 12 digits first: 0.07 * 100 is 7.000000000000001 in floating point. */
const topKCount = (ratio: number, d: number): number => Math.ceil(Number((ratio * d).toPrecision(12)));

/**
 * Compresses `update` under `c` (dense when `c` is undefined). With error feedback the previous
 * `residual` (zeros when absent) is added first and the new residual, what the payload leaves out, is returned.
 */
export function compress(update: Float32Array, c: UpdateCompression | undefined, segments: readonly number[], rng: Rng, residual?: Float32Array): { payload: Payload; residual?: Float32Array } {
  if (!c) return { payload: { kind: 'dense', values: update } };
  const v = c.errorFeedback && residual ? update.map((x, i) => x + residual[i]) : update;
  const payload = c.type === 'topk' ? topK(v, topKCount(c.ratio, v.length)) : quantize8(v, segments, rng);
  if (!c.errorFeedback) return { payload };
  const sent = decode(payload, segments);
  return { payload, residual: v.map((x, i) => x - sent[i]) };
}
