/**
 * Reading data files so that no file can hang a run or flood a message. A file is opened with
 * O_NONBLOCK (open() on a named pipe otherwise waits for a writer, forever) and read only once fstat on
 * that descriptor says it is a regular file, whose reads never wait on another process; the same
 * descriptor is read, so a rename in between changes nothing. Sizes are bounded before and after
 * decompression, and every error names the file.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { constants as zlib, gunzipSync } from 'node:zlib';
import { LIMITS } from '../../core/spec/limits';

/**
 * A data file that cannot be used, worded like a spec problem at `data.<field>`, so the spec check can
 * report it before a run starts and a run that meets it at load time says the same.
 */
export class DataError extends Error {
  constructor(readonly expected: string, readonly found: string, readonly field: 'path' | 'target' | 'task' = 'path') {
    super(`data.${field}: expected ${expected}, found ${found}`);
  }
}

/** What a path holds, in words: `a regular file`, `a folder`, `a named pipe (FIFO)`, ... */
export function kindOf(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

const mib = (bytes: number): string => `${bytes / 2 ** 20} MiB`;

/** `ENOENT` and friends as words a user acts on. */
function openFailure(e: NodeJS.ErrnoException, file: string): DataError {
  const why: Record<string, string> = { ENOENT: 'nothing', EACCES: 'no read permission', EPERM: 'no read permission', ELOOP: 'a symbolic link loop' };
  return new DataError('a readable regular file', `${why[e.code ?? ''] ?? e.code ?? e.message} at ${file}`);
}

/** Reads up to `limit` bytes of a regular file without blocking; `size` is the file's whole size. */
export function readRegularFile(file: string, limit: number): { bytes: Buffer; size: number } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw openFailure(e as NodeJS.ErrnoException, file);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new DataError('a regular file', `${kindOf(st)} at ${file}`);
    const bytes = Buffer.alloc(Math.min(st.size, limit));
    for (let got = 0, n = 1; got < bytes.length && n > 0; got += n) n = readSync(fd, bytes, got, bytes.length - got, got);
    return { bytes, size: st.size };
  } finally {
    closeSync(fd);
  }
}

const isGzip = (b: Buffer): boolean => b[0] === 0x1f && b[1] === 0x8b;

function gunzipError(e: unknown, file: string, max: number): DataError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ERR_BUFFER_TOO_LARGE') return new DataError(`a file of at most ${mib(max)} once decompressed`, `more in ${file}`);
  if (err.code === 'Z_BUF_ERROR') return new DataError('a complete gzip file', `${file}, which ends early (${err.message})`);
  return new DataError('a valid gzip file', `${file} (${err.message})`);
}

const tooLarge = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';

/** A whole data file, gunzipped when it starts with gzip's magic bytes; at most `max` bytes either way. */
export function readDataFile(file: string, max: number = LIMITS.dataBytes): Buffer {
  const { bytes, size } = readRegularFile(file, max + 1);
  if (size > max) throw new DataError(`a file of at most ${mib(max)}`, `${(size / 2 ** 20).toFixed(0)} MiB in ${file}`);
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: max });
  } catch (e) {
    throw gunzipError(e, file, max);
  }
}

/**
 * The first `max` bytes of a data file's content (gunzipped), and whether that is all of it: what a
 * check reads to scan a file in bounded time. A gzip file too large to inflate whole within `max` is
 * inflated from ever shorter starts until the output fits.
 */
export function readDataPrefix(file: string, max: number): { bytes: Buffer; complete: boolean } {
  const { bytes, size } = readRegularFile(file, max);
  if (!isGzip(bytes)) return { bytes, complete: size <= max };
  if (size <= max) {
    try {
      return { bytes: gunzipSync(bytes, { maxOutputLength: max }), complete: true };
    } catch (e) {
      if (!tooLarge(e)) throw gunzipError(e, file, max);
    }
  }
  for (let take = bytes.length; take >= 64; take = Math.floor(take / 4)) {
    try {
      return { bytes: gunzipSync(bytes.subarray(0, take), { finishFlush: zlib.Z_SYNC_FLUSH, maxOutputLength: max }), complete: false };
    } catch (e) {
      if (!tooLarge(e)) throw gunzipError(e, file, max);
    }
  }
  return { bytes: Buffer.alloc(0), complete: false };
}

/** A short, escaped excerpt of file content for a message: JSON-quoted, at most `max` characters. */
export function snippet(text: string, max = 24): string {
  return JSON.stringify(text.length <= max ? text : `${text.slice(0, max)}...`);
}
