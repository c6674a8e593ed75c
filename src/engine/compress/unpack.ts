/** Reads the packed format (packed-format.ts) back into plain float32 weights and model.json. */
import { inflateRawSync } from 'node:zlib';
import { BitReader } from './bits';
import { huffmanDecode, huffmanDecoder } from './huffman';
import { fromFloat16Bits } from './float16';
import { GAP_FILL, MAGIC, VERSION, packedCrc, prefixBytes, storedCrc, type ModelJson, type PackedModel, type TensorHeader } from './packed-format';

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

/** A decoded packed file; `checksummed` is false for a version 1 file, whose damage cannot be detected. */
export interface UnpackedModel extends PackedModel {
  checksummed: boolean;
}

const hex = (crc: number) => `0x${crc.toString(16).padStart(8, '0')}`;

/** Why a version 2 file fails its checksum, or undefined when it passes. */
function checksumProblem(buf: Buffer): string | undefined {
  const [stored, computed] = [storedCrc(buf), packedCrc(buf)];
  return stored === computed ? undefined : `checksum mismatch (stored CRC-32 ${hex(stored)}, computed ${hex(computed)})`;
}

/** How a file of `size` bytes differs from the `end` its header describes, or undefined when it does not. */
function lengthProblem(end: number, size: number): string | undefined {
  if (end === size) return undefined;
  const sizes = `its header describes ${end} bytes, the file has ${size}`;
  return end > size ? `is truncated (${sizes})` : `has ${size - end} unexpected bytes after its end (${sizes})`;
}

/** The header of a packed file whose header starts at `start`, where its segments begin and end; throws when it is not well-formed. */
function readHeader(buf: Buffer, start: number): { model: ModelJson; tensors: TensorHeader[]; body: number; end: number } {
  const body = start + buf.readUInt32LE(5);
  const { model, tensors } = JSON.parse(inflateRawSync(buf.subarray(start, body)).toString('utf8')) as { model: ModelJson; tensors: TensorHeader[] };
  const end = tensors.reduce((a, h) => a + h.bytes[0] + h.bytes[1] + h.bytes[2], body);
  if (!Number.isSafeInteger(end)) throw new Error('its segment lengths are not byte counts');
  return { model, tensors, body, end };
}

/**
 * The model and float32 weights in a packed file of version 2 or 1. Throws on a file that is not one, or
 * whose checksum (version 2) or length does not match: a damaged file never decodes to other weights.
 */
export function unpackModel(bytes: Uint8Array): UnpackedModel {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < 9 || buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a Hone packed model (no HNPK signature)');
  const version = buf.readUInt8(4);
  if (version !== 1 && version !== VERSION) throw new Error(`packed model version ${version}: this Hone reads versions 1 and ${VERSION}`);
  const start = prefixBytes(version);
  if (buf.length < start) throw new Error('packed model is truncated');
  const mismatch = version === 1 ? undefined : checksumProblem(buf);
  let header: ReturnType<typeof readHeader>;
  try {
    header = readHeader(buf, start);
  } catch (e) {
    throw new Error(mismatch ? `packed model is damaged: ${mismatch}` : `packed model header is unreadable (${(e as Error).message})`);
  }
  const { model, tensors } = header;
  const length = lengthProblem(header.end, buf.length);
  if (mismatch) throw new Error(`packed model is damaged: ${mismatch}${length ? `; it ${length}` : ''}`);
  if (length) throw new Error(`packed model ${length}`);
  let offset = header.body;
  const take = (n: number) => {
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
  return { model, weights, checksummed: version !== 1 };
}
