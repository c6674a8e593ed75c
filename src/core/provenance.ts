/**
 * Where a run's result came from, as a reviewer would ask: which command, which code (git commit, and
 * the uncommitted diff when the tree was dirty), which machine. Recorded when the run is created; the
 * data hash is added by the worker that loads the data (engine/data-hash.ts). Every probe is bounded
 * in time and optional: no git, no GPU or no permission leaves that part out, never fails a run.
 */
import { redactArg } from './queue/url';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Provenance } from './store/types';
import { writeRunRecord, type StoredRun } from './store';

/** The diff of a dirty tree is saved beside run.json under this name, cut at `MAX_DIFF` bytes. */
export const DIFF_FILE = 'git.diff';
const MAX_DIFF = 5 * 1024 * 1024;
const MAX_UNTRACKED = 200;

function run(cmd: string, args: string[], cwd?: string): string | undefined {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', timeout: 5000, maxBuffer: MAX_DIFF * 2, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

let gpus: string[] | undefined | null = null;
/** `nvidia-smi -L` names, once per process; undefined where there is no NVIDIA GPU or driver. */
function gpuNames(): string[] | undefined {
  if (gpus === null) gpus = run('nvidia-smi', ['-L'])?.split('\n').filter(Boolean).map((l) => l.replace(/\s*\(UUID:.*\)$/, ''));
  return gpus;
}

export function machine(): Provenance['machine'] {
  const cpu = cpus();
  const gpu = gpuNames();
  return {
    host: hostname(), os: `${platform()} ${release()}`, cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length,
    memoryMB: Math.round(totalmem() / 2 ** 20), ...(gpu?.length ? { gpus: gpu } : {}),
  };
}

/** The git state of `dir`'s work tree, with the diff text when dirty; undefined outside git. */
export function gitState(dir: string): { state: NonNullable<Provenance['git']>; diff?: string } | undefined {
  const commit = run('git', ['rev-parse', 'HEAD'], dir)?.trim();
  if (!commit) return undefined;
  const branch = run('git', ['rev-parse', '--abbrev-ref', 'HEAD'], dir)?.trim();
  const status = run('git', ['status', '--porcelain', '--untracked-files=all'], dir) ?? '';
  const lines = status.split('\n').filter(Boolean);
  const state: NonNullable<Provenance['git']> = { commit, dirty: lines.length > 0 };
  if (branch && branch !== 'HEAD') state.branch = branch;
  if (!state.dirty) return { state };
  const untracked = lines.filter((l) => l.startsWith('??')).map((l) => l.slice(3));
  if (untracked.length) state.untracked = untracked.slice(0, MAX_UNTRACKED);
  const diff = run('git', ['diff', 'HEAD', '--binary'], dir) ?? '';
  return { state, diff: diff.length > MAX_DIFF ? `${diff.slice(0, MAX_DIFF)}\n[hone: diff cut at ${MAX_DIFF} bytes]\n` : diff };
}

/**
 * What made a run, where: the command line (argv), the folder it ran in and this machine. Alone, it is
 * the provenance of an imported run: the import's command and machine (the code that trained it is not
 * known; its source folder is in its spec).
 */
export function invocation(command: string[], cwd = process.cwd()): Provenance {
  // A queue URL (or any URL) given with its password keeps it out of run.json.
  return { command: command.map(redactArg), cwd, machine: machine() };
}

/**
 * Provenance for a run made by `command` (argv) in `cwd` whose code lives in `codeDir` (the spec's
 * folder, or the folder an exec run's command runs in). A dirty tree's diff is written into `runDir`
 * (the run folder must exist) and named in the record.
 */
export function collectProvenance(runDir: string, codeDir: string, command: string[], cwd = process.cwd()): Provenance {
  const p = invocation(command, cwd);
  const git = gitState(codeDir);
  if (git) {
    p.git = git.state;
    if (git.diff) {
      writeFileSync(join(runDir, DIFF_FILE), git.diff);
      p.git.diffFile = DIFF_FILE;
    }
  }
  return p;
}

/**
 * Records `collectProvenance(stored.dir, codeDir, command, cwd)` in a just-created run's run.json. Should
 * that fail (a full disk), the run's folder is removed and the error thrown: no run is left half-made.
 */
export function recordProvenance(stored: StoredRun, codeDir: string, command: string[], cwd = process.cwd()): void {
  try {
    stored.record.provenance = collectProvenance(stored.dir, codeDir, command, cwd);
    writeRunRecord(stored.dir, stored.record);
  } catch (e) {
    rmSync(stored.dir, { recursive: true, force: true });
    throw e;
  }
}
