import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { maskedCrc32c } from './crc32c';

/**
 * TFRecord framing, the container of TensorBoard event files (tensorflow/core/lib/io/record_writer.h):
 *
 *   uint64 length (little-endian) | uint32 masked_crc32c(length bytes) | data[length] | uint32 masked_crc32c(data)
 */

/** Random access to a file's bytes: a file descriptor, or a buffer in tests. */
export interface ByteSource {
  size: number;
  /** Up to `length` bytes from `offset` (fewer only at the end). */
  read(offset: number, length: number): Uint8Array;
}

export interface TfRecord {
  /** Byte offset of the record's length field in the file. */
  offset: number;
  data: Uint8Array;
}

/** A record that cannot be read: a checksum that does not match, or a file that ends mid-record. */
export class RecordError extends Error {
  override name = 'RecordError';
  constructor(readonly offset: number, readonly reason: string) {
    super(`record at byte ${offset}: ${reason}`);
  }
}

const HEADER = 12;
const FOOTER = 4;
const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * The records of `src` in order. Stops with a `RecordError` at the first bad record; the records before
 * it have been yielded by then, so a caller keeps them. "expected" in a CRC message is the checksum stored
 * in the file, "found" the one computed from the bytes read.
 */
export function* tfRecords(src: ByteSource): Generator<TfRecord> {
  for (let offset = 0; offset < src.size; ) {
    const left = src.size - offset;
    if (left < HEADER) throw new RecordError(offset, `truncated: ${left} bytes left, a record header needs ${HEADER}`);
    const header = src.read(offset, HEADER);
    const view = new DataView(header.buffer, header.byteOffset, HEADER);
    const stored = view.getUint32(8, true);
    const computed = maskedCrc32c(header.subarray(0, 8));
    if (stored !== computed) throw new RecordError(offset, `length CRC mismatch (expected ${hex(stored)}, found ${hex(computed)})`);
    const length = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
    if (HEADER + length + FOOTER > left) {
      throw new RecordError(offset, `truncated: a record of ${length} bytes needs ${HEADER + length + FOOTER}, ${left} left`);
    }
    const body = src.read(offset + HEADER, length + FOOTER);
    const data = body.subarray(0, length);
    const dataStored = new DataView(body.buffer, body.byteOffset + length, FOOTER).getUint32(0, true);
    const dataComputed = maskedCrc32c(data);
    if (dataStored !== dataComputed) {
      throw new RecordError(offset, `data CRC mismatch (expected ${hex(dataStored)}, found ${hex(dataComputed)})`);
    }
    yield { offset, data };
    offset += HEADER + length + FOOTER;
  }
}

/** A `ByteSource` over bytes in memory. */
export const bufferSource = (bytes: Uint8Array): ByteSource => ({
  size: bytes.length,
  read: (offset, length) => bytes.subarray(offset, offset + length),
});

/**
 * Calls `fn` with a `ByteSource` over the file at `path`, read on demand: event files with images can be
 * far larger than their scalars, so the file is never held in memory whole.
 */
export function withFileSource<T>(path: string, fn: (src: ByteSource) => T): T {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    return fn({
      size,
      read(offset, length) {
        const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        let got = 0;
        while (got < buf.length) {
          const n = readSync(fd, buf, got, buf.length - got, offset + got);
          if (n === 0) break;
          got += n;
        }
        return buf.subarray(0, got);
      },
    });
  } finally {
    closeSync(fd);
  }
}
