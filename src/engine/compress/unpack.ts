/** Reads the packed format (packed-format.ts) back into plain float32 weights and model.json. */
import { inflateRawSync } from 'node:zlib';
import { BitReader } from './bits';
import { huffmanDecode, huffmanDecoder } from './huffman';
import { fromFloat16Bits } from './float16';
import { GAP_FILL, MAGIC, VERSION, type ModelJson, type PackedModel, type TensorHeader } from './packed-format';

/** The `nnz` nonzero positions coded as gap symbols (see GAP_FILL). */
function positions(seg: Uint8Array, nnz: number): Int32Array {
  const out = new Int32Array(nnz);
  if (nnz === 0) return out;
  const d = huffmanDecoder(new BitReader(seg));
  let pos = -1;
  for (let found = 0; found < nnz; ) {
    const s = d.next();
    if (s === GAP_FILL) pos += GAP_FILL;
    else out[found++] = pos += s + 1;
  }
  return out;
}

const f32s = (b: Uint8Array) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
const f16s = (b: Uint8Array) => Float32Array.from(new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)), fromFloat16Bits);

/** The coded values (`count` of them) of a tensor, and for affine codes the element positions they sit at. */
function values(h: TensorHeader, params: Uint8Array, seg: Uint8Array, count: number, at: (j: number) => number): Float32Array {
  if (h.coding === 'f32') return f32s(seg);
  if (h.coding === 'f16') return f16s(seg);
  const symbols = huffmanDecode(new BitReader(seg), count);
  if (h.coding === 'codebook') {
    const book = h.codebook!.dtype === 'f16' ? f16s(params) : f32s(params);
    return Float32Array.from(symbols, (s) => book[s]);
  }
  const view = new DataView(params.buffer, params.byteOffset, params.length);
  const groups = h.affine!.groups;
  return Float32Array.from(symbols, (q, j) => {
    const g = at(j) % groups;
    return (q - view.getUint8(g * 5 + 4)) * view.getFloat32(g * 5, true);
  });
}

/** The model and float32 weights in a packed file; throws on a file that is not one. */
export function unpackModel(bytes: Uint8Array): PackedModel {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < 9 || buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a Hone packed model (no HNPK signature)');
  if (buf.readUInt8(4) !== VERSION) throw new Error(`packed model version ${buf.readUInt8(4)}: this Hone reads version ${VERSION}`);
  const hlen = buf.readUInt32LE(5);
  const { model, tensors } = JSON.parse(inflateRawSync(buf.subarray(9, 9 + hlen)).toString('utf8')) as { model: ModelJson; tensors: TensorHeader[] };
  let offset = 9 + hlen;
  const take = (n: number) => {
    if (offset + n > buf.length) throw new Error('packed model is truncated');
    const s = new Uint8Array(buf.buffer, buf.byteOffset + offset, n);
    offset += n;
    return s;
  };
  const weights = tensors.map((h) => {
    const [pos, params, vals] = h.bytes.map(take);
    const n = h.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (h.layout === 'dense') data.set(values(h, params, vals, n, (j) => j));
    else {
      const p = positions(pos, h.nnz);
      values(h, params, vals, h.nnz, (j) => p[j]).forEach((v, j) => (data[p[j]] = v));
    }
    return { name: h.name, shape: h.shape, data };
  });
  return { model, weights };
}
