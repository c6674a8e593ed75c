import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { InputError } from '../errors';
import { ProtobufError } from './protobuf';
import { decodeEvent, sessionStartHparams, type TbEvent, type TbValue } from './tensorboard';
import { RecordError, tfRecords, withFileSource } from './tfrecord';

/** An event file of a run, in the order TensorBoard reads them (by name). */
export interface EventFile {
  path: string;
  name: string;
  size: number;
}

/** A folder holding event files: one TensorBoard run. */
export interface LogdirRun {
  /** The folder relative to the logdir ('/'-separated), or the logdir's basename for files at its root. */
  name: string;
  dir: string;
  files: EventFile[];
}

/** One scalar as written: a tag's value at a step. */
export interface ScalarPoint {
  step: number;
  wallTime: number;
  tag: string;
  value: number;
}

/** What the event files of one run hold. */
export interface RunData {
  /** In file order; a later point for the same step and tag replaces an earlier one. */
  points: ScalarPoint[];
  /** First and last wall time (seconds) of any event, when any event has one. */
  firstWall?: number;
  lastWall?: number;
  hparams?: Record<string, unknown>;
  fileVersion?: string;
  /** Values that are not scalars (histograms, images, text, ...). */
  skipped: number;
  /** `<file relative to logdir>: record at byte N: why`, one per unreadable record or file tail. */
  problems: string[];
}

// TensorBoard's io_wrapper.IsSummaryEventsFile: ".profile-empty" files are placeholders without summaries.
const isEventFile = (name: string) => name.includes('tfevents') && !name.endsWith('.profile-empty');
const posix = (p: string) => p.split(sep).join('/');
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The runs under `logdir` (absolute), as TensorBoard finds them: every folder, at any depth, that directly
 * holds event files is one run. Symlinked folders are not followed (TensorBoard walks with os.walk's
 * default). Throws `InputError` for a logdir that is missing, not a folder, or holds no event files.
 */
export function findRuns(logdir: string): LogdirRun[] {
  let isDir: boolean;
  try {
    isDir = statSync(logdir).isDirectory();
  } catch {
    throw new InputError(`no such folder: ${logdir}`);
  }
  if (!isDir) throw new InputError(`${logdir} is not a folder: give the logdir that holds the runs' event files`);
  const runs: LogdirRun[] = [];
  walk(logdir, logdir, runs);
  if (!runs.length) throw new InputError(`no TensorBoard event files (events.out.tfevents.*) under ${logdir}`);
  return runs.sort(byName);
}

function walk(root: string, dir: string, out: LogdirRun[]): void {
  const files: EventFile[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort(byName)) {
    const path = join(dir, e.name);
    if (e.isDirectory()) walk(root, path, out);
    else if (isEventFile(e.name)) {
      const st = statSync(path);
      if (st.isFile()) files.push({ path, name: e.name, size: st.size });
    }
  }
  if (files.length) out.push({ name: dir === root ? basename(root) : posix(relative(root, dir)), dir, files });
}

/**
 * Whether a value is a scalar to import. `plugin` is the value's own plugin name or the one its tag had
 * earlier (writers keep metadata on a tag's first value only). TF1 `simple_value`s always are; a tensor is
 * when it holds one number and is marked a scalar (plugin "scalars", or data class scalar) or carries no
 * plugin at all. hparams values are read for the run's params, everything else is skipped.
 */
export function classify(v: TbValue, plugin: string | undefined): 'scalar' | 'hparams' | 'skip' {
  if (plugin === 'hparams') return 'hparams';
  if (v.number === undefined) return 'skip';
  if (v.holds === 'simple_value') return 'scalar';
  return v.holds === 'tensor' && (plugin === 'scalars' || v.scalarClass || !plugin) ? 'scalar' : 'skip';
}

/**
 * Reads every event file of `run` in name order. A bad record ends its file (framing cannot be trusted
 * past it) and is reported in `problems`; what came before it is kept, and the other files are still
 * read. A record whose framing is sound but whose Event does not decode is reported and skipped.
 */
export function readRun(run: LogdirRun, logdir: string): RunData {
  const data: RunData = { points: [], skipped: 0, problems: [] };
  const plugins = new Map<string, string>();
  for (const file of run.files) {
    const label = posix(relative(logdir, file.path));
    try {
      withFileSource(file.path, (src) => {
        for (const rec of tfRecords(src)) {
          try {
            addEvent(data, plugins, decodeEvent(rec.data));
          } catch (e) {
            if (!(e instanceof ProtobufError)) throw e;
            data.problems.push(`${label}: record at byte ${rec.offset}: not a valid Event (${e.message})`);
          }
        }
      });
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      data.problems.push(`${label}: ${e.message}`);
    }
  }
  return data;
}

function addEvent(data: RunData, plugins: Map<string, string>, ev: TbEvent): void {
  if (ev.wallTime > 0) {
    data.firstWall = Math.min(data.firstWall ?? Infinity, ev.wallTime);
    data.lastWall = Math.max(data.lastWall ?? -Infinity, ev.wallTime);
  }
  if (ev.fileVersion) data.fileVersion = ev.fileVersion;
  for (const v of ev.values) {
    if (v.plugin) plugins.set(v.tag, v.plugin);
    const kind = classify(v, v.plugin ?? plugins.get(v.tag));
    if (kind === 'scalar') data.points.push({ step: ev.step, wallTime: ev.wallTime, tag: v.tag, value: v.number! });
    else if (kind === 'skip') data.skipped += 1;
    else if (v.pluginContent) {
      const hp = sessionStartHparams(v.pluginContent);
      if (hp) data.hparams = { ...data.hparams, ...hp };
    }
  }
}
