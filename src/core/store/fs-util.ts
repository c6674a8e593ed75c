import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';

/** The error code of a Node fs error (`ENOENT`, `EEXIST`, ...), or undefined. */
/**
 * `path` relative to `dir` ('' for `dir` itself), or undefined when it leads out of `dir`: a first part
 * `..` (a name that only starts with two dots, `..x`, stays inside) or another drive. Paths as given:
 * resolve links first where they matter.
 */
export function relativeInside(dir: string, path: string): string | undefined {
  const rel = relative(dir, path);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? undefined : rel;
}

export const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/** Blocks the thread for `ms` milliseconds (for short retries in synchronous code). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** mtime of a file in ms, or undefined when it does not exist. */
export function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Replaces `path` with `data` so that readers see either the old or the new file, never a mix: writes a
 * uniquely named temp file in the same folder (rename is only atomic within one file system), fsyncs it
 * (unless `sync` is false: for derived files a reader validates and rebuilds, like the metrics cache),
 * then renames it over `path`.
 */
export function atomicWriteFileSync(path: string, data: string | Uint8Array, sync = true): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (sync) writeSyncedFileSync(tmp, data);
    else writeFileSync(tmp, data);
    renameWithRetry(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes `path` and fsyncs it before returning: on disk, not only in the page cache. */
export function writeSyncedFileSync(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// Windows refuses to rename over a file another process has open for a moment (a reader, an
// antivirus scan); those errors clear within milliseconds, so retry briefly as graceful-fs does.
function renameWithRetry(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      return renameSync(from, to);
    } catch (e) {
      const transient = ['EPERM', 'EACCES', 'EBUSY'].includes(errCode(e) ?? '');
      if (!transient || attempt >= 20) throw e;
      sleepSync(10 + attempt * 10);
    }
  }
}
