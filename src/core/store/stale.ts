import { hostname } from 'node:os';
import { claimedProcess, processInfo, type ProcessInfo } from './process';
import { readRunRecord, writeRunRecord } from './record';
import { tryWrite } from './writable';
import type { RunRecord } from './types';

/** How long a worker on another machine may go without a heartbeat before its run counts as crashed. */
export const STALE_MS = 30_000;

/** Whether process `pid` exists on this machine and is not a zombie (dead, not yet reaped). */
export function pidAlive(pid: number): boolean {
  const p = processInfo(pid);
  return p !== undefined && p.state !== 'zombie';
}

/**
 * The live process a queued or running record names, when it is on this host: the same pid and start
 * time. Records without a start time (older ones, hand-made ones) name a worker only if the run's id is
 * on that process's command line, as it is on every worker's.
 */
export function ownerProcess(rec: RunRecord): ProcessInfo | undefined {
  if (rec.host !== hostname() || rec.pid === undefined) return undefined;
  const token = rec.pidStart === undefined && rec.status === 'running' ? rec.id : undefined;
  return claimedProcess({ pid: rec.pid, start: rec.pidStart, token });
}

/**
 * Why a queued or running run must be dead, or undefined when it may still be alive (or has ended).
 * On this host the process decides: gone (or its pid reused) is dead; alive, even stopped by SIGSTOP
 * with a heartbeat long stale, is alive. Runs from other hosts (a shared folder) can only be judged by
 * heartbeat age. A running run without heartbeat is aged from `started`; a queued run without one is
 * left alone, since it may wait in a sweep's queue for hours while its coordinator lives.
 */
export function staleReason(rec: RunRecord, now: number = Date.now(), staleMs = STALE_MS): string | undefined {
  if (rec.status !== 'running' && rec.status !== 'queued') return undefined;
  if (rec.host === hostname() && rec.pid !== undefined) {
    return ownerProcess(rec) ? undefined : `process ${rec.pid} on ${rec.host} is gone`;
  }
  const last = rec.heartbeat ?? (rec.status === 'running' ? rec.started : undefined);
  if (last === undefined) return undefined;
  const age = now - Date.parse(last);
  if (age > staleMs) return `no heartbeat from ${rec.host} for ${Math.round(age / 1000)} s (last ${last})`;
  return undefined;
}

/** Whether a queued or running run is dead (see `staleReason`). */
export function isStale(rec: RunRecord, now: number = Date.now(), staleMs = STALE_MS): boolean {
  return staleReason(rec, now, staleMs) !== undefined;
}

/**
 * How a live run is doing when it is not plainly training: `paused` (its process is stopped) or `silent`
 * (no heartbeat for a while, process alive: busy in one long step, or hung). Undefined otherwise.
 */
export function liveNote(rec: RunRecord, now: number = Date.now()): string | undefined {
  if (rec.status !== 'running') return undefined;
  const p = ownerProcess(rec);
  if (p?.state === 'stopped') return `paused: process ${rec.pid} is stopped`;
  const age = rec.heartbeat ? now - Date.parse(rec.heartbeat) : 0;
  return age > STALE_MS ? `no heartbeat for ${Math.round(age / 1000)} s` : undefined;
}

/** The record marked `crashed` when it is stale, else undefined. Pure apart from the process check. */
export function crashedRecord(rec: RunRecord, now: number = Date.now(), staleMs = STALE_MS): RunRecord | undefined {
  const why = staleReason(rec, now, staleMs);
  if (why === undefined) return undefined;
  return { ...rec, status: 'crashed', finished: new Date(now).toISOString(), message: why };
}

/**
 * Marks the run in `runDir` crashed in its `run.json` when it is stale (see `staleReason`). Returns the
 * record as it now stands, or undefined when there is no readable record. Only `run.json` is touched, and
 * a store that cannot be written (full, read-only) still gets the crashed record back, unsaved.
 */
export function reconcileRun(runDir: string, now: number = Date.now(), staleMs = STALE_MS): RunRecord | undefined {
  const rec = readRunRecord(runDir);
  if (!rec) return undefined;
  const crashed = crashedRecord(rec, now, staleMs);
  if (!crashed) return rec;
  tryWrite(() => writeRunRecord(runDir, crashed));
  return crashed;
}
