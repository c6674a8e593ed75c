/**
 * A minimal reader of the protobuf wire format (protobuf.dev/programming-guides/encoding): enough to walk
 * a message's fields and decode the scalar types TensorBoard's protos use. Unknown fields are returned like
 * known ones, so a caller skips them by not asking; groups (wire types 3 and 4, deprecated) are rejected.
 */

/** One field as it appears on the wire. Varints are kept as bigint: int64 steps can exceed 2^53. */
export type Field =
  | { no: number; wire: 'varint'; value: bigint }
  | { no: number; wire: 'i64'; bytes: Uint8Array }
  | { no: number; wire: 'len'; bytes: Uint8Array }
  | { no: number; wire: 'i32'; bytes: Uint8Array };

/** Bytes that are not a valid protobuf message. */
export class ProtobufError extends Error {
  override name = 'ProtobufError';
}

function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let value = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (pos >= buf.length) throw new ProtobufError('varint runs past the end of the message');
    const b = buf[pos++];
    value |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [BigInt.asUintN(64, value), pos];
  }
  throw new ProtobufError('varint longer than 10 bytes');
}

function take(buf: Uint8Array, pos: number, n: number): Uint8Array {
  if (pos + n > buf.length) throw new ProtobufError(`field of ${n} bytes runs past the end of the message`);
  return buf.subarray(pos, pos + n);
}

/** The fields of a message, in wire order (a repeated field appears once per element or packed run). */
export function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const [key, afterKey] = readVarint(buf, pos);
    pos = afterKey;
    const no = Number(key >> 3n);
    const type = Number(key & 7n);
    if (no === 0) throw new ProtobufError('field number 0');
    if (type === 0) {
      const [value, next] = readVarint(buf, pos);
      out.push({ no, wire: 'varint', value });
      pos = next;
    } else if (type === 1 || type === 5) {
      const bytes = take(buf, pos, type === 1 ? 8 : 4);
      out.push(type === 1 ? { no, wire: 'i64', bytes } : { no, wire: 'i32', bytes });
      pos += bytes.length;
    } else if (type === 2) {
      const [len, next] = readVarint(buf, pos);
      const bytes = take(buf, next, Number(len));
      out.push({ no, wire: 'len', bytes });
      pos = next + bytes.length;
    } else {
      throw new ProtobufError(`unsupported wire type ${type} (field ${no})`);
    }
  }
  return out;
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function expect<W extends Field['wire']>(f: Field, wire: W): Extract<Field, { wire: W }> {
  if (f.wire !== wire) throw new ProtobufError(`field ${f.no}: expected wire type ${wire}, found ${f.wire}`);
  return f as Extract<Field, { wire: W }>;
}

/** int64, int32 or enum (two's complement, so negative int32s read right too; exact up to 2^53). */
export const int64 = (f: Field): number => Number(BigInt.asIntN(64, expect(f, 'varint').value));
export const bool = (f: Field): boolean => expect(f, 'varint').value !== 0n;
export const double = (f: Field): number => view(expect(f, 'i64').bytes).getFloat64(0, true);
export const float = (f: Field): number => view(expect(f, 'i32').bytes).getFloat32(0, true);
export const bytes = (f: Field): Uint8Array => expect(f, 'len').bytes;
const utf8 = new TextDecoder();
export const string = (f: Field): string => utf8.decode(bytes(f));

/** The last occurrence of field `no` (proto3: the last value of a non-repeated field wins). */
export function last(fs: Field[], no: number): Field | undefined {
  for (let i = fs.length - 1; i >= 0; i--) if (fs[i].no === no) return fs[i];
  return undefined;
}

/**
 * Every element of repeated numeric field `no`, packed (one length-delimited run) or not: parsers must
 * accept both encodings whatever the .proto declares.
 */
export function repeated(fs: Field[], no: number, kind: 'float' | 'double' | 'int64'): number[] {
  const out: number[] = [];
  for (const f of fs) {
    if (f.no !== no) continue;
    if (f.wire !== 'len') out.push(kind === 'float' ? float(f) : kind === 'double' ? double(f) : int64(f));
    else if (kind === 'int64') {
      for (let pos = 0; pos < f.bytes.length; ) {
        const [v, next] = readVarint(f.bytes, pos);
        out.push(Number(BigInt.asIntN(64, v)));
        pos = next;
      }
    } else {
      const size = kind === 'float' ? 4 : 8;
      if (f.bytes.length % size) throw new ProtobufError(`field ${no}: packed ${kind}s of ${f.bytes.length} bytes`);
      const v = view(f.bytes);
      for (let i = 0; i < f.bytes.length; i += size) out.push(size === 4 ? v.getFloat32(i, true) : v.getFloat64(i, true));
    }
  }
  return out;
}
