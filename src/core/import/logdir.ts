import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { InputError } from '../errors';
import { errCode } from '../store/fs-util';
import { addPoint, newScalars, pointsOf, purgeNotes, restartAt, type Scalars } from './orphans';
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
  /**
   * The folder relative to the logdir ('/'-separated). Files at its root: the logdir's basename, or '.' (as
   * TensorBoard names it) when a subfolder run already has that name (`logs/` and `logs/logs/`).
   */
  name: string;
  dir: string;
  files: EventFile[];
  /** Event files that cannot be opened (a dangling symlink, no permission): `<file>: skipped: why`. */
  unreadable: string[];
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
  /**
   * Each tag's points in step order: a later point for the same step and tag replaces an earlier one, and
   * the points that a restart or a step going back made stale are dropped (see orphans.ts).
   */
  points: ScalarPoint[];
  /** `<file>: restart at step N: dropped ...`, one per purge of stale points (see `purgeNotes`). */
  purged: string[];
  /** How many points the purges dropped. */
  purgedPoints: number;
  /**
   * First and last wall time (seconds) of any event, when any event has one. After a purge the run starts
   * with the file that holds its earliest kept point: a script run again from scratch starts anew.
   */
  firstWall?: number;
  lastWall?: number;
  hparams?: Record<string, unknown>;
  fileVersion?: string;
  /** Values that are not scalars (histograms, images, text, ...). */
  skipped: number;
  /** `<file relative to logdir>: record at byte N: why`, one per unreadable record, file tail or file. */
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
  const root = runs.find((r) => r.dir === logdir);
  if (root && runs.some((r) => r !== root && r.name === root.name)) root.name = '.';
  return runs.sort(byName);
}

function walk(root: string, dir: string, out: LogdirRun[]): void {
  const files: EventFile[] = [];
  const unreadable: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort(byName)) {
    const path = join(dir, e.name);
    if (e.isDirectory()) walk(root, path, out);
    else if (isEventFile(e.name)) {
      try {
        const st = statSync(path);
        if (st.isFile()) files.push({ path, name: e.name, size: st.size });
      } catch (err) {
        if (!errCode(err)) throw err;
        unreadable.push(`${posix(relative(root, path))}: skipped: ${whyUnreadable(path, err)}`);
      }
    }
  }
  if (files.length || unreadable.length) {
    out.push({ name: dir === root ? basename(root) : posix(relative(root, dir)), dir, files, unreadable });
  }
}

/** Why a file could not be opened, in words: the failed call's error code, or the target of a dangling symlink. */
function whyUnreadable(path: string, err: unknown): string {
  const code = errCode(err);
  if (code === 'ENOENT') {
    try {
      return `a symlink to ${readlinkSync(path)}, which does not exist`;
    } catch {
      return 'it no longer exists';
    }
  }
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'a symlink loop';
  return `cannot be read (${code})`;
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
 * read. A record whose framing is sound but whose Event does not decode is reported and skipped; so is a
 * file that cannot be opened (`run.unreadable`, or one gone since `findRuns`).
 */
export function readRun(run: LogdirRun, logdir: string): RunData {
  const data: RunData = { points: [], purged: [], purgedPoints: 0, skipped: 0, problems: [...run.unreadable] };
  const plugins = new Map<string, string>();
  const scalars = newScalars();
  const fileStarts: number[] = [];
  for (const file of run.files) {
    const label = posix(relative(logdir, file.path));
    const reading: Reading = { data, plugins, scalars, file: label };
    try {
      withFileSource(file.path, (src) => {
        for (const rec of tfRecords(src)) {
          try {
            addEvent(reading, decodeEvent(rec.data));
          } catch (e) {
            if (!(e instanceof ProtobufError)) throw e;
            data.problems.push(`${label}: record at byte ${rec.offset}: not a valid Event (${e.message})`);
          }
        }
      });
    } catch (e) {
      if (e instanceof RecordError) data.problems.push(`${label}: ${e.message}`);
      else if (errCode(e)) data.problems.push(`${label}: not read: ${whyUnreadable(file.path, e)}`);
      else throw e;
    }
    if (reading.start !== undefined) fileStarts.push(reading.start);
  }
  data.points = pointsOf(scalars);
  data.purged = purgeNotes(scalars.purges);
  data.purgedPoints = scalars.purges.reduce((n, p) => n + p.dropped, 0);
  if (data.purgedPoints && data.points.length) data.firstWall = startOfKept(fileStarts, data.points);
  return data;
}

/** What reading one file needs: the run's data so far, each tag's plugin, its scalars, the file's name. */
interface Reading {
  data: RunData;
  plugins: Map<string, string>;
  scalars: Scalars;
  file: string;
  /** The file's first wall time. */
  start?: number;
}

/** The start of the file that holds the earliest kept point: the latest file start not after that point. */
function startOfKept(fileStarts: number[], points: ScalarPoint[]): number {
  const earliest = points.reduce((t, p) => Math.min(t, p.wallTime), Infinity);
  const start = fileStarts.reduce((s, t) => (t <= earliest ? Math.max(s, t) : s), -Infinity);
  return start === -Infinity ? earliest : start;
}

function addEvent(r: Reading, ev: TbEvent): void {
  const { data, plugins } = r;
  if (ev.wallTime > 0) {
    r.start ??= ev.wallTime;
    data.firstWall = Math.min(data.firstWall ?? Infinity, ev.wallTime);
    data.lastWall = Math.max(data.lastWall ?? -Infinity, ev.wallTime);
  }
  if (ev.fileVersion) data.fileVersion = ev.fileVersion;
  if (ev.sessionStart) restartAt(r.scalars, ev.step, r.file);
  for (const v of ev.values) {
    if (v.plugin) plugins.set(v.tag, v.plugin);
    const kind = classify(v, v.plugin ?? plugins.get(v.tag));
    if (kind === 'scalar') addPoint(r.scalars, { step: ev.step, wallTime: ev.wallTime, tag: v.tag, value: v.number! }, r.file);
    else if (kind === 'skip') data.skipped += 1;
    else if (v.pluginContent) {
      const hp = sessionStartHparams(v.pluginContent);
      if (hp) data.hparams = { ...data.hparams, ...hp };
    }
  }
}
