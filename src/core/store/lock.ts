import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { errCode } from './fs-util';
import { pidAlive } from './stale';

export interface LockOptions {
  /** Give up waiting after this long (ms); default 10 s. */
  timeoutMs?: number;
  /** A lock older than this (ms) is broken even if its holder lives; default 10 s. */
  staleMs?: number;
}

interface Holder {
  raw: string;
  pid?: number;
  host?: string;
  time: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` while holding the cross-process lock file `lockPath` (created with `wx`, holding this
 * process's pid, host and time). Waits with short randomised sleeps; breaks a lock whose holder is a dead
 * process on this host or that is older than `staleMs`. Not re-entrant: nested calls on one path wait for
 * themselves until the timeout.
 */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const token = await acquire(lockPath, opts.timeoutMs ?? 10_000, opts.staleMs ?? 10_000);
  try {
    return await fn();
  } finally {
    // Only remove our own lock: if we were slow enough to have it broken, it now belongs to someone else.
    if (readText(lockPath) === token) rmSync(lockPath, { force: true });
  }
}

async function acquire(lockPath: string, timeoutMs: number, staleMs: number): Promise<string> {
  const token = JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now(), nonce: randomBytes(4).toString('hex') });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        writeSync(fd, token);
      } catch (e) {
        // A full disk can refuse the token after the file exists: leave no empty lock behind.
        closeSync(fd);
        rmSync(lockPath, { force: true });
        throw e;
      }
      closeSync(fd);
      return token;
    } catch (e) {
      if (errCode(e) !== 'EEXIST') throw e;
    }
    const holder = readHolder(lockPath);
    if (holder && isAbandoned(holder, staleMs)) {
      breakLock(lockPath, holder.raw);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${lockPath} (held by ${holder?.raw || 'unknown'})`);
    }
    await sleep(5 + Math.random() * 20);
  }
}

/** A file's text, or undefined when it cannot be read (gone, being replaced). */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

// A lock file is empty for a moment between its creation and its write: it is then aged by its mtime.
function readHolder(lockPath: string): Holder | undefined {
  try {
    const raw = readFileSync(lockPath, 'utf8');
    const mtime = statSync(lockPath).mtimeMs;
    try {
      const { pid, host, time } = JSON.parse(raw) as Partial<Holder>;
      return { raw, pid, host, time: typeof time === 'number' ? time : mtime };
    } catch {
      return { raw, time: mtime };
    }
  } catch {
    return undefined;
  }
}

function isAbandoned(h: Holder, staleMs: number): boolean {
  if (Date.now() - h.time > staleMs) return true;
  return h.host === hostname() && h.pid !== undefined && !pidAlive(h.pid);
}

// Two waiters may both judge the same lock abandoned; deleting it outright would let the slower one delete
// the lock the faster one just took. Renaming is atomic, so each waiter moves aside whatever is there and
// checks it moved the file it judged; if not, it links the fresh lock back (link never overwrites).
export function breakLock(lockPath: string, judged: string): void {
  const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.broken`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return;
  }
  if (readText(aside) !== judged) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // Someone took the lock meanwhile; theirs stands.
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // Already gone.
  }
}
