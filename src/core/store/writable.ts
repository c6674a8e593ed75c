/**
 * A store that cannot be written (disk full, read-only mount, no permission) must still be readable:
 * listing, showing and exporting runs need no write, and removing runs must work on a full disk. Writes
 * that only keep caches fresh (the index, a crash mark) are attempted and, when the store refuses them,
 * skipped with a reason the caller can show.
 */
import { errCode } from './fs-util';

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/** Why the store refused a write, in words, when `e` is such a refusal; undefined for other errors. */
export function refusal(e: unknown): string | undefined {
  const code = errCode(e);
  return code === undefined ? undefined : REASONS[code];
}

/**
 * Runs a write that may be skipped: returns undefined when it ran, the refusal's reason when the store
 * refused it (or the folder vanished under it: a run deleted meanwhile). Other errors are thrown.
 */
export function tryWrite(write: () => void): string | undefined {
  try {
    write();
    return undefined;
  } catch (e) {
    const why = refusal(e) ?? (errCode(e) === 'ENOENT' ? 'its folder is gone' : undefined);
    if (why === undefined) throw e;
    return why;
  }
}

/** What to do about a refused write: free space for a full disk; nothing to add otherwise. */
export const refusalHint = (e: unknown): string =>
  errCode(e) === 'ENOSPC' || errCode(e) === 'EDQUOT' ? ': free some space (hone rm works on a full disk) and retry' : '';

/**
 * An error for a write the store refused, naming what and what to do; it keeps the original `code`, so
 * `refusal` and `tryWrite` still recognise it.
 */
export function explainWriteError(e: unknown, what: string): Error {
  const why = refusal(e);
  if (why === undefined) return e as Error;
  return Object.assign(new Error(`could not write ${what}: ${why}${refusalHint(e)}`), { code: errCode(e) });
}
