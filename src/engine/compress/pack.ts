/**
 * Writes the packed format (packed-format.ts): Deep Compression's storage (Han et al. 2016,
 * arXiv:1510.00149: sparse positions as relative indices, codebook indices, Huffman coding) for any model,
 * each tensor in whichever exact encoding is smallest.
 */
import { deflateRawSync } from 'node:zlib';
import { BitWriter } from './bits';
import { huffmanEncode } from './huffman';
import { codesOnGrid } from './affine';
import { isFloat16Exact, toFloat16Bits } from './float16';
import { GAP_FILL, MAGIC, VERSION, prefixBytes, writeCrc, type AffineHint, type PackedModel, type PackedWeight, type TensorHeader } from './packed-format';

interface Encoded {
  header: TensorHeader;
  segments: [Uint8Array, Uint8Array, Uint8Array];
}

const total = (e: Encoded) => e.segments.reduce((a, s) => a + s.length, 0);

function huffman(symbols: ArrayLike<number>, alphabet: number): Uint8Array {
  const w = new BitWriter();
  huffmanEncode(symbols, alphabet, w);
  return w.finish();
}

/** Gap symbols of the nonzero positions (see GAP_FILL). */
function gapSymbols(positions: Int32Array): number[] {
  const out: number[] = [];
  let last = -1;
  for (const p of positions) {
    let gap = p - last - 1;
    for (; gap >= GAP_FILL; gap -= GAP_FILL) out.push(GAP_FILL);
    out.push(gap);
    last = p;
  }
  return out;
}

const rawF32 = (v: Float32Array) => new Uint8Array(Buffer.from(Float32Array.from(v).buffer));
const rawF16 = (v: Float32Array) => new Uint8Array(Buffer.from(Uint16Array.from(v, toFloat16Bits).buffer));

/** Ways to store the values `v` (the elements at `positions` of `w`, or all of them): [coding, params, values, extra header]. */
function valueCodings(v: Float32Array, positions: Int32Array | undefined, w: PackedWeight): [TensorHeader['coding'], Uint8Array, Uint8Array, Partial<TensorHeader>][] {
  const out: [TensorHeader['coding'], Uint8Array, Uint8Array, Partial<TensorHeader>][] = [];
  const grid = w.affine && affineCodes(w.data, w.affine);
  if (grid && w.affine) {
    const q = positions ? Uint8Array.from(positions, (p) => grid[p]) : grid;
    const params = new Uint8Array(w.affine.scale.length * 5);
    const view = new DataView(params.buffer);
    w.affine.scale.forEach((s, g) => (view.setFloat32(g * 5, s, true), view.setUint8(g * 5 + 4, w.affine!.zeroPoint[g])));
    out.push(['affine', params, huffman(q, 2 ** w.affine.bits), { affine: { bits: w.affine.bits, groups: w.affine.scale.length } }]);
  }
  const distinct = [...new Set(v)].sort((a, b) => a - b);
  if (distinct.length <= 256) {
    const index = new Map(distinct.map((x, i) => [x, i]));
    const book = Float32Array.from(distinct);
    const f16 = isFloat16Exact(book);
    const symbols = Uint16Array.from(v, (x) => index.get(x)!);
    out.push(['codebook', f16 ? rawF16(book) : rawF32(book), huffman(symbols, distinct.length), { codebook: { size: distinct.length, dtype: f16 ? 'f16' : 'f32' } }]);
  }
  out.push(isFloat16Exact(v) ? ['f16', new Uint8Array(0), rawF16(v), {}] : ['f32', new Uint8Array(0), rawF32(v), {}]);
  return out;
}

/** The affine codes of the whole tensor, when every value lies on the hinted grid. */
const affineCodes = (data: Float32Array, a: AffineHint) => codesOnGrid(data, a.scale, a.zeroPoint, a.bits);

/** The smallest exact encoding of one tensor. */
export function encodeTensor(w: PackedWeight): Encoded {
  const n = w.data.length;
  const nonzero: number[] = [];
  for (let i = 0; i < n; i++) if (w.data[i] !== 0) nonzero.push(i);
  const layouts: [TensorHeader['layout'], Int32Array | undefined][] = [['dense', undefined]];
  if (nonzero.length < n) layouts.push(['sparse', Int32Array.from(nonzero)]);
  let best: Encoded | undefined;
  for (const [layout, positions] of layouts) {
    const v = positions ? Float32Array.from(positions, (p) => w.data[p]) : w.data;
    const pos = positions ? huffman(gapSymbols(positions), GAP_FILL + 1) : new Uint8Array(0);
    for (const [coding, params, values, extra] of valueCodings(v, positions, w)) {
      const e: Encoded = {
        header: { name: w.name, shape: w.shape, layout, nnz: nonzero.length, coding, ...extra, bytes: [pos.length, params.length, values.length] },
        segments: [pos, params, values],
      };
      if (!best || total(e) < total(best)) best = e;
    }
  }
  return best!;
}

/** The packed file of `m`, and how each tensor was stored (header entries, with their byte lengths). */
export function packModel(m: PackedModel): { bytes: Uint8Array; tensors: TensorHeader[] } {
  const encoded = m.weights.map(encodeTensor);
  const tensors = encoded.map((e) => e.header);
  const header = deflateRawSync(Buffer.from(JSON.stringify({ model: m.model, tensors })), { level: 9 });
  const prefix = Buffer.alloc(prefixBytes(VERSION));
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt8(VERSION, 4);
  prefix.writeUInt32LE(header.length, 5);
  const bytes = Buffer.concat([prefix, header, ...encoded.flatMap((e) => e.segments)]);
  writeCrc(bytes);
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), tensors };
}
