import { mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { withLock } from './lock';
import { INDEX_FILE, LOCK_FILE } from './paths';
import type { RunRecord, RunSummary } from './types';

/** One experiment (a spec's name) in the index. */
export interface ExperimentSummary {
  name: string;
  /** The spec file of the experiment's latest run that had one. */
  specPath?: string;
  runs: number;
}

/** `index.json`: a cache of run summaries, rebuildable from the run folders at any time. */
export interface StoreIndex {
  version: 1;
  runs: Record<string, RunSummary>;
  experiments: Record<string, ExperimentSummary>;
}

/**
 * A map keyed by names users choose (experiment names, run folders): without a prototype, so a name such
 * as `__proto__` or `constructor` is an ordinary key and can never reach `Object.prototype`.
 */
export const dict = <T>(from: Record<string, T> = {}): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, from);

export const emptyIndex = (): StoreIndex => ({ version: 1, runs: dict(), experiments: dict() });

/** The index's entry for a run, given the mtime (ms) of its `run.json`. */
export function summarize(rec: RunRecord, mtimeMs: number): RunSummary {
  const s: RunSummary = {
    id: rec.id,
    kind: rec.kind ?? 'train',
    name: rec.name,
    experiment: rec.experiment,
    status: rec.status,
    created: rec.created,
    epochsDone: rec.epochsDone,
    epochsPlanned: rec.epochsPlanned,
    mtimeMs,
  };
  if (rec.specPath !== undefined) s.specPath = rec.specPath;
  if (rec.finished !== undefined) s.finished = rec.finished;
  if (rec.backend !== undefined) s.backend = rec.backend.name;
  if (rec.final !== undefined) s.final = rec.final;
  if (rec.sweep !== undefined) s.sweep = rec.sweep;
  if (rec.parent !== undefined) s.parent = rec.parent;
  if (rec.tags?.length) s.tags = rec.tags;
  if (rec.starred) s.starred = true;
  return s;
}

/** Summaries newest first (by `created`, then id). */
export function sortSummaries(runs: Iterable<RunSummary>): RunSummary[] {
  return [...runs].sort((a, b) => (a.created === b.created ? cmp(b.id, a.id) : cmp(b.created, a.created)));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The experiments table recomputed from the run summaries. */
export function experimentsOf(runs: Record<string, RunSummary>): Record<string, ExperimentSummary> {
  const out = dict<ExperimentSummary>();
  for (const s of sortSummaries(Object.values(runs)).reverse()) {
    const e = (out[s.experiment] ??= { name: s.experiment, runs: 0 });
    e.runs += 1;
    if (s.specPath !== undefined) e.specPath = s.specPath;
  }
  return out;
}

function isStoreIndex(v: unknown): v is StoreIndex {
  const x = v as StoreIndex | null;
  return typeof x === 'object' && x !== null && x.version === 1 &&
    typeof x.runs === 'object' && x.runs !== null && typeof x.experiments === 'object' && x.experiments !== null;
}

/** The index's maps made prototype-free (see `dict`), once read. */
const withDicts = (x: StoreIndex): StoreIndex => ({ ...x, runs: dict(x.runs), experiments: dict(x.experiments) });

/**
 * `<storeDir>/index.json` read without the lock and without writing anything, or undefined when it is
 * missing, unreadable or not an index: for views of a store that cannot be written (full, read-only).
 */
export function readIndexFile(storeDir: string): StoreIndex | undefined {
  try {
    const x: unknown = JSON.parse(readFileSync(join(storeDir, INDEX_FILE), 'utf8'));
    return isStoreIndex(x) ? withDicts(x) : undefined;
  } catch {
    return undefined;
  }
}

/** An index.json that is not a file (a folder made by hand or by a tool) is moved aside, never deleted. */
function moveAsideIfNotFile(path: string): void {
  try {
    if (!statSync(path).isFile()) renameSync(path, `${path}.not-a-file-${Date.now()}`);
  } catch {
    // Missing: lowdb creates it.
  }
}

/**
 * Runs `fn` on `<storeDir>/index.json` under the cross-process lock `index.lock`, then writes back the
 * object `fn` was given (mutate it in place) if it changed. `valid` is false when the file was missing, unparsable or of
 * another shape: `fn` then gets an empty index and should rebuild it from the run folders.
 */
export async function withIndex<T>(storeDir: string, fn: (index: StoreIndex, valid: boolean) => T | Promise<T>): Promise<T> {
  mkdirSync(storeDir, { recursive: true });
  return withLock(join(storeDir, LOCK_FILE), async () => {
    const path = join(storeDir, INDEX_FILE);
    moveAsideIfNotFile(path);
    const fallback = emptyIndex();
    const db = new Low<StoreIndex>(new JSONFile<StoreIndex>(path), fallback);
    let valid: boolean;
    try {
      await db.read();
      // lowdb keeps the default object when the file is missing.
      valid = db.data !== fallback && isStoreIndex(db.data);
    } catch {
      valid = false;
    }
    db.data = valid ? withDicts(db.data) : emptyIndex();
    const before = valid ? JSON.stringify(db.data) : undefined;
    const out = await fn(db.data, valid);
    // Unchanged: no write, so a reader that only looks (a view refreshing) leaves the file alone.
    if (JSON.stringify(db.data) !== before) await db.write();
    return out;
  });
}
