import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { errCode } from './fs-util';
import { readRunRecord, writeRunRecord } from './record';
import type { RunRecord } from './types';

/** How long a live worker may go without a heartbeat before its run counts as crashed. */
export const STALE_MS = 30_000;

/**
 * Whether process `pid` exists on this machine (`kill(pid, 0)`): EPERM means it exists but belongs to
 * another user. Non-positive pids are never alive: `kill(0)` and `kill(-1)` would address process groups.
 * A zombie (dead, not yet reaped: common for orphans in containers whose PID 1 does not reap) is dead.
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
  return !isZombie(pid);
}

/** Linux only: state `Z` in /proc/<pid>/stat. Elsewhere (no /proc) a process is taken as no zombie. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * Why a queued or running run must be dead, or undefined when it may still be alive (or has ended).
 * The pid is only checked for runs of this host; runs from other hosts (a shared folder) are judged by
 * heartbeat age alone. A running run without heartbeat is aged from `started`; a queued run without one
 * is left alone, since it may wait in a sweep's queue for hours while its coordinator lives.
 */
export function staleReason(rec: RunRecord, now: number = Date.now(), staleMs = STALE_MS): string | undefined {
  if (rec.status !== 'running' && rec.status !== 'queued') return undefined;
  if (rec.host === hostname() && rec.pid !== undefined && !pidAlive(rec.pid)) {
    return `process ${rec.pid} on ${rec.host} is gone`;
  }
  const last = rec.heartbeat ?? (rec.status === 'running' ? rec.started : undefined);
  if (last === undefined) return undefined;
  const age = now - Date.parse(last);
  if (age > staleMs) return `no heartbeat for ${Math.round(age / 1000)} s (last ${last})`;
  return undefined;
}

/** Whether a queued or running run is dead: its process is gone or its heartbeat is older than `staleMs`. */
export function isStale(rec: RunRecord, now: number = Date.now(), staleMs = STALE_MS): boolean {
  return staleReason(rec, now, staleMs) !== undefined;
}

/** The record marked `crashed` when it is stale, else undefined. Pure apart from the pid check. */
export function crashedRecord(rec: RunRecord, now: number = Date.now(), staleMs = STALE_MS): RunRecord | undefined {
  const why = staleReason(rec, now, staleMs);
  if (why === undefined) return undefined;
  return { ...rec, status: 'crashed', finished: new Date(now).toISOString(), message: `crashed: ${why}` };
}

/**
 * Marks the run in `runDir` crashed in its `run.json` when it is stale (see `staleReason`). Returns the
 * record as it now stands, or undefined when there is no readable record. Only `run.json` is touched.
 */
export function reconcileRun(runDir: string, now: number = Date.now(), staleMs = STALE_MS): RunRecord | undefined {
  const rec = readRunRecord(runDir);
  if (!rec) return undefined;
  const crashed = crashedRecord(rec, now, staleMs);
  if (!crashed) return rec;
  writeRunRecord(runDir, crashed);
  return crashed;
}
