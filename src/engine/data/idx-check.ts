/**
 * MNIST's IDX files judged by their headers and sizes alone, without reading them whole: what spec
 * validation can afford on every edit, so that a corrupt or truncated file is bad input at data.path
 * (exit 2, nothing written) rather than a run that fails after its folder is made.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { idxHeader, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './mnist';
import { readRegularFile } from './read';

/** gzip's ISIZE: the last 4 bytes of a gzip file, its decompressed size mod 2^32. */
function gzipSize(file: string, bytes: number): number {
  const tail = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    if (bytes >= 18) readSync(fd, tail, 0, 4, bytes - 4);
  } finally {
    closeSync(fd);
  }
  return tail.readUInt32LE(0);
}

/** The first bytes of `file` (decompressed when it is gzip) and its decompressed size. */
function headAndSize(file: string): { head: Uint8Array; size: number } {
  const { bytes: first, size } = readRegularFile(file, 4096);
  if (!(first[0] === 0x1f && first[1] === 0x8b)) return { head: first, size };
  // A prefix of the stream: decompress what it holds, without asking for the rest.
  return { head: gunzipSync(first, { finishFlush: constants.Z_SYNC_FLUSH }), size: gzipSize(file, size) };
}

/** Images (`images`) or labels of MNIST in `file`: its count, or why the file cannot be one (a short message naming it). */
export function idxCount(file: string, images: boolean): { count: number } | { problem: string } {
  try {
    const { head, size } = headAndSize(file);
    const [count, rows, cols] = images ? idxHeader(head, 4, IDX_IMAGES_MAGIC, 'images', file) : idxHeader(head, 2, IDX_LABELS_MAGIC, 'labels', file);
    const want = images ? 16 + count * rows * cols : 8 + count;
    if (want % 2 ** 32 !== size) return { problem: `${file}: its header says ${count} ${images ? `images of ${rows}x${cols}` : 'labels'} (${want} bytes), but it holds ${size}` };
    return { count };
  } catch (e) {
    // The header's own errors name the file; zlib's and the file system's do not.
    const message = (e as Error).message;
    return { problem: message.includes(file) ? message : `${file}: ${message}` };
  }
}
