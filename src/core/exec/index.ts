/**
 * Any command as a tracked run (`hone exec`, the extension's "Run Command as Experiment"): a run of kind
 * `exec`, started like a training run (runner.ts's `launchRun`) but with the supervisor
 * `dist/exec-worker.js` in place of the training worker. The supervisor owns the run folder, runs the
 * command in its own process group, and reads what it reports through the line protocol
 * (docs/exec-protocol.md). No vscode, no TF.js.
 */
import { basename } from 'node:path';
import { createRun, updateIndexEntry } from '../store';
import { recordProvenance } from '../provenance';
import { launchRun, type LaunchOptions, type QueuedRun, type RunHandle } from '../runner';
import { InputError } from '../errors';
import { parseJson } from '../spec/json-syntax';
import type { ExternalSpec, MetricLine, RunRecord } from '../store/types';

export { ARTIFACTS_DIR, ARTIFACT_MAX_BYTES, ARTIFACTS_TOTAL_BYTES, copyArtifacts, type ArtifactOutcome } from './artifacts';
export { execOutcome, type CommandEnd } from './outcome';
export { LineSplitter, MAX_LINE_BYTES, parseProtocolLine, quoteNonFinite, type ProtocolLine } from './protocol';
export { ExecTracker } from './track';
export { ProtocolTail } from './tail';

/** The supervisor's bundle, beside the other bundles in dist/: pass `join(distDir, EXEC_WORKER)` as `workerPath`. */
export const EXEC_WORKER = 'exec-worker.js';
/** The file in the run folder the command appends protocol lines to (`$HONE_METRICS_FILE`). */
export const PROTOCOL_FILE = 'protocol.jsonl';
/** How long a command asked to stop (SIGTERM to its process group) has before it is killed (SIGKILL). */
export const EXEC_STOP_GRACE_MS = 10_000;

export interface ExecRequest {
  storeDir: string;
  /** The program and its arguments (argv, not a shell line: no shell runs it). */
  command: string[];
  /** The folder the command runs in; absolute. */
  cwd: string;
  /** Run and experiment name; default `defaultName(command)` (`train.py` for `python3 train.py`). */
  name?: string;
  /** Parameters given up front (`--set k=v`): recorded, and passed to the command as `$HONE_PARAMS`. */
  params?: Record<string, unknown>;
  versions?: Record<string, string>;
  /** What made the run, for its provenance (`hone exec ...`, an editor command): default this process's command line. */
  invokedBy?: string[];
}

/**
 * With this variable set to 1 in its environment, the supervisor expects its parent to answer each
 * `output` message with `{ type: 'consumed', bytes }` once it has written them out, and pauses reading
 * the command's output while more than EXEC_FLOW_WINDOW bytes are unanswered: a slow reader of `hone
 * exec` slows the command, as it would the command run directly, instead of filling memory.
 */
export const EXEC_FLOW_ENV = 'HONE_EXEC_FLOW';
export const EXEC_FLOW_WINDOW = 1 << 20;

/** What the supervisor sends its parent over IPC while it lives; the run folder stays the record of truth. */
export type ExecMessage =
  | { type: 'spawned'; pid: number; command: string[] }
  /** The command's output as it wrote it: bytes, not text (invalid UTF-8 passes through unchanged). */
  | { type: 'output'; stream: 'stdout' | 'stderr'; bytes: Uint8Array }
  | { type: 'epoch'; line: MetricLine }
  | { type: 'finished'; record: RunRecord };

/**
 * `k=v` pairs as parameters: a value that parses as JSON is that value (0.1, true, [1,2]), else a string;
 * read by the spec's own parser, so a number beyond the doubles or a duplicate key is refused as there.
 * Names are taken as written, as own properties (`__proto__` too), and may not be blank or given twice.
 */
export function parseSets(sets: string[]): Record<string, unknown> {
  const params: Record<string, unknown> = Object.create(null);
  for (const s of sets) {
    const eq = s.indexOf('=');
    const name = s.slice(0, eq);
    if (eq <= 0 || name.trim() !== name || !name) throw new InputError(`--set ${s}: expected name=value, the name without surrounding blanks`);
    if (Object.hasOwn(params, name)) throw new InputError(`--set ${s}: expected each name once, found ${name} again`);
    const text = s.slice(eq + 1);
    const parsed = parseJson(text);
    if ('error' in parsed) {
      params[name] = text;
      continue;
    }
    const [problem] = parsed.problems;
    if (problem) throw new InputError(`--set ${s}: expected ${problem.expected}, found ${problem.found}`);
    params[name] = parsed.value;
  }
  return { ...params };
}

// Programs that run a script named by their first argument: the script names the run, not the interpreter.
const INTERPRETER = /^(python[\d.]*|pypy[\d.]*|node|Rscript|julia|ruby|perl|bash|sh|zsh|dash)(\.exe)?$/;

/**
 * A run's default name: the program's base name, or for an interpreter the script it runs (`python3 -u
 * train.py` is `train.py`, `python -m pkg.train` is `pkg.train`); inline code (`-c`, `-e`) keeps the
 * interpreter's name.
 */
export function defaultName(command: string[]): string {
  const program = basename(command[0]);
  if (!INTERPRETER.test(program)) return program;
  for (let i = 1; i < command.length; i++) {
    const a = command[i];
    if (a === '-m') return command[i + 1] ?? program;
    if (a === '-c' || a === '-e' || a === '--') return program;
    // Options that take the next argument as their value (python -W ignore, -X dev; node -r mod).
    if (OPTION_WITH_VALUE.has(a)) i++;
    else if (!a.startsWith('-')) return basename(a);
  }
  return program;
}

/** Interpreter options whose value is the next argument, not the script. */
const OPTION_WITH_VALUE = new Set(['-W', '-X', '-Q', '-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--input-type']);

const setText = ([k, v]: [string, unknown]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`;

/**
 * Records a new exec run with status `queued` (and indexes it), without starting anything yet. Its
 * provenance is taken as a training run's is: what made it, and the git state of the command's folder.
 */
export function queueExecRun(r: ExecRequest): QueuedRun {
  if (!r.command.length || !r.command[0]) throw new InputError('give a command to run');
  const name = r.name ?? defaultName(r.command);
  const params = r.params ?? {};
  const overrides = Object.entries(params).map(setText);
  const spec: ExternalSpec = { name, params, command: r.command, cwd: r.cwd };
  const stored = createRun(r.storeDir, {
    kind: 'exec',
    name: overrides.length ? `${name} [${overrides.join(' ')}]` : name,
    experiment: name,
    spec,
    overrides,
    seed: 0,
    versions: { node: process.version, ...r.versions },
    epochsPlanned: 0,
  });
  recordProvenance(stored, r.cwd, r.invokedBy ?? process.argv, r.cwd);
  return { ...stored, indexed: updateIndexEntry(r.storeDir, stored.record).catch(() => undefined) };
}

/**
 * Queues and starts an exec run: `o.workerPath` is the supervisor (`dist/exec-worker.js`). `stop()` asks
 * the command to stop (SIGTERM to its process group, SIGKILL after EXEC_STOP_GRACE_MS); a second
 * `stop()` kills it at once. Either way the run records `stopped`.
 */
export function startExecRun(r: ExecRequest, o: LaunchOptions<ExecMessage>): RunHandle {
  let pid: number | undefined;
  const h = launchRun<ExecMessage>(r.storeDir, queueExecRun(r), {
    ...o,
    onSpawn: (p, argv) => {
      pid = p;
      o.onSpawn?.(p, argv);
    },
  });
  let asked = false;
  const stop = () => {
    if (!asked) return (asked = true), h.stop();
    // The supervisor takes a second SIGTERM as "kill now"; killing the supervisor itself would orphan the command.
    try {
      if (pid) process.kill(pid, 'SIGTERM');
    } catch {
      // It has ended.
    }
  };
  return { ...h, stop };
}
