/**
 * The sweep's coordinator lock (`coordinator.lock` in its folder): the process that coordinates the sweep,
 * as JSON (pid, its start time, host). Made whole at once (written beside it, then hard-linked into
 * place, which fails when a lock is there), so it is never seen empty; a dead holder's lock is broken as
 * the store's locks are (store/lock.ts's breakLock: renamed aside, put back when it is not the lock judged
 * dead); a coordinator removes only its own lock.
 */
import { linkSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors';
import { errCode } from '../store/fs-util';
import { breakLock, readText } from '../store/lock';
import { claimedProcess, thisProcess } from '../store/process';
import { storeOption } from '../store/store-option';
import { COORDINATOR_LOCK } from './record';

/**
 * The live coordinator of the sweep in `dir`, from its lock file; undefined when none holds it. On this
 * host the pid must still be that process (same start time): after a reboot the pid may be another's.
 */
export function coordinatorOf(dir: string): { pid: number; host: string } | undefined {
  try {
    const holder = JSON.parse(readText(join(dir, COORDINATOR_LOCK)) ?? '') as { pid: number; host: string; pidStart?: string };
    return holder.host !== hostname() || claimedProcess({ pid: holder.pid, start: holder.pidStart }) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** Puts `text` at `path` whole, unless a file is there: false then. */
function create(path: string, text: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if (errCode(e) === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Takes the sweep's coordinator lock (breaking a dead holder's); throws when a live process holds it. Returns its release. */
export function claimCoordinator(dir: string, id: string, storeDir: string): () => void {
  const path = join(dir, COORDINATOR_LOCK);
  const mine = JSON.stringify(thisProcess());
  for (;;) {
    if (create(path, mine)) return () => void (readText(path) === mine && rmSync(path, { force: true }));
    const seen = readText(path);
    const holder = coordinatorOf(dir);
    if (holder) throw new InputError(`sweep ${id} is running in process ${holder.pid} on ${holder.host}; stop it first (hone sweep stop ${id}${storeOption(storeDir)})`);
    if (seen !== undefined) breakLock(path, seen);
  }
}
