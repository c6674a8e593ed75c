/**
 * What this machine knows about a process: whether it exists, whether it is stopped (SIGSTOP, a
 * debugger) rather than dead, when it started and what it runs. A pid alone is not an identity: pids
 * are reused, so a run records its process's start time too, and nothing is signalled or declared dead
 * on the strength of a pid that now belongs to another program.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { errCode } from './fs-util';

export interface ProcessInfo {
  /** `running` covers every live state but stopped (R, S, D, I...). */
  state: 'running' | 'stopped' | 'zombie';
  /** Opaque start time: clock ticks since boot on Linux, `ps`'s lstart elsewhere. Same process, same value. */
  start?: string;
  /** The command line, arguments joined by spaces. */
  command?: string;
}

/**
 * The process `pid` as it is now, or undefined when none exists. Non-positive pids never exist here:
 * `kill(0)` and `kill(-1)` would address process groups. EPERM means it exists but is another user's.
 */
export function processInfo(pid: number): ProcessInfo | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (errCode(e) !== 'EPERM') return undefined;
  }
  return procInfo(pid) ?? psInfo(pid) ?? { state: 'running' };
}

const STATES: Record<string, ProcessInfo['state']> = { T: 'stopped', t: 'stopped', Z: 'zombie', X: 'zombie' };

/** Linux: fields 3 (state) and 22 (starttime) of /proc/<pid>/stat, counted after the `(comm)` field. */
function procInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let command: string | undefined;
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ');
    } catch {
      // Another user's process may hide its command line; state and start time still identify it.
    }
    return { state: STATES[fields[0]] ?? 'running', start: fields[19], command };
  } catch {
    return undefined;
  }
}

/**
 * Elsewhere (macOS, BSD): one `ps` call. Its start time is printed in UTC and the C locale whatever this
 * process's TZ and language: a window and a terminal with other settings must read one process alike, or
 * each would take the other's worker for a reused pid, and declare it gone.
 */
export function psInfo(pid: number): ProcessInfo | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C', LANG: 'C' };
    const out = execFileSync('ps', ['-o', 'state=', '-o', 'lstart=', '-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000, env });
    const m = /^\s*(\S+)\s+(\w{3}\s+\w{3}\s+\d+\s+[\d:]+\s+\d{4})\s+(.*)$/.exec(out.trimEnd());
    if (!m) return undefined;
    return { state: STATES[m[1][0]] ?? 'running', start: m[2], command: m[3] };
  } catch {
    return undefined;
  }
}

/** This process's start time, recorded with the pid so that a reused pid is told apart. */
export const ownStart = (): string | undefined => processInfo(process.pid)?.start;

/**
 * This process as the owner a record names: pid, start time and host. Every writer that takes a run over
 * (a worker, a resume) names all three: a record naming another host's process is judged by its heartbeat.
 */
export const thisProcess = (): { pid: number; pidStart: string | undefined; host: string } => ({ pid: process.pid, pidStart: ownStart(), host: hostname() });

/** Who a record says owns a run: pid, its start time when known, and a string its command line holds. */
export interface ProcessClaim {
  pid: number;
  start?: string;
  /** For workers: the run folder, which is on their command line. */
  token?: string;
}

/**
 * The live process behind a claim, or undefined when that process is gone: no such pid, a zombie, a
 * different start time (the pid was reused), or a command line that lacks the token.
 */
export function claimedProcess(c: ProcessClaim): ProcessInfo | undefined {
  const p = processInfo(c.pid);
  if (!p || p.state === 'zombie') return undefined;
  if (c.start !== undefined && p.start !== undefined && p.start !== c.start) return undefined;
  if (c.token !== undefined && p.command !== undefined && !p.command.includes(c.token)) return undefined;
  return p;
}
