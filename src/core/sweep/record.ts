/**
 * A sweep in the store: `<store>/sweeps/<id>/sweep.json`, written atomically and only by the sweep's
 * coordinator (the process running it). Its trials' runs are ordinary runs under `<store>/runs/`, tagged
 * `sweep: { id, trial }` in their run.json; each is written only by its own worker.
 *
 *   sweeps/<id>/sweep.json         SweepRecord: spec, budget, status, every trial with its params and values
 *   sweeps/<id>/coordinator.lock   held by the live coordinator (pid, host); a dead holder's lock is stale
 *   sweeps/<id>/stop               asks the live coordinator, whichever process it is, to stop the sweep
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepSpec } from '../spec/sweep-types';
import { atomicWriteFileSync, errCode } from '../store/fs-util';
import { newRunId } from '../store/ids';
import { isStoreId } from '../store/paths';
import type { Pruning, Trial } from './types';

export type SweepStatus = 'running' | 'completed' | 'stopped';

export interface TrialRecord extends Trial {
  /** The run of the trial's latest attempt. */
  runId?: string;
  /** Runs of earlier attempts, cut short by a killed or stopped sweep and re-run on resume. */
  interrupted?: string[];
  /** Set when a stopper ended the trial (state `pruned`), at the moment it decided. */
  pruned?: Pruning;
  /** Epochs the trial trained: all of them when completed, the epoch it was judged at when pruned. */
  epochs: number;
  /**
   * Epochs its run plans (its run.json's `epochsPlanned`): the sweep's `epochs`, then a compress section's
   * retraining epochs and the compressed model's measurement line. Set when its run starts; absent in
   * records of older Hone and in trials whose spec was refused.
   */
  planned?: number;
  started?: string;
  finished?: string;
  /** Why a trial failed (a bad trial spec, a diverged or crashed run, a missing or non-finite objective). */
  message?: string;
  /** Its run was deleted (`hone rm`); the trial's parameters and values stay in the sweep's history. */
  runDeleted?: boolean;
}

export interface SweepRecord {
  id: string;
  /** The spec's name. */
  name: string;
  created: string;
  specPath?: string;
  /** The folder relative data paths resolve against: the spec file's folder, or the `baseDir` it was started with (hone.datasetsDir). */
  baseDir: string;
  /** The spec as parsed (after --set, before defaults): every trial spec is built from it. */
  raw: unknown;
  /** The sweep section with defaults, `auto` resolved to the sampler it picked; `trials` and `parallel` as last given (--trials, --parallel). */
  sweep: SweepSpec;
  /** Set when `sweep.sampler` was `auto`: which sampler it picked and why (samplers/auto.ts). */
  samplerChoice?: string;
  /**
   * Steps a trial trains, one metrics line each: the spec's train.epochs, or a federated spec's rounds; the
   * stopper judges these. A compress section's epochs come after them (each trial's `planned` counts both).
   */
  epochs: number;
  status: SweepStatus;
  /** The process coordinating the sweep while it runs. */
  coordinator?: { pid: number; host: string; started: string };
  /** Set when its trials train on queue agents (core/queue): the queue's URL, password redacted. */
  queue?: string;
  /** Wall time of earlier sessions (ms), so `timeLimit` holds across resumes. */
  elapsedMs: number;
  finished?: string;
  message?: string;
  trials: TrialRecord[];
}

export const SWEEP_FILE = 'sweep.json';
export const COORDINATOR_LOCK = 'coordinator.lock';
export const STOP_FILE = 'stop';

export const sweepsDirOf = (storeDir: string): string => join(storeDir, 'sweeps');

/** The folder of sweep `id`; throws for ids that could escape `sweeps/`. */
export function sweepDirOf(storeDir: string, id: string): string {
  if (!/^[\w.-]+$/.test(id) || id === '.' || id === '..') throw new Error(`invalid sweep id '${id}'`);
  return join(sweepsDirOf(storeDir), id);
}

/** Makes a new sweep folder with a fresh id (`YYYYMMDD-HHMMSS-<hex>`, as runs) and returns the id. */
export function newSweepDir(storeDir: string): { id: string; dir: string } {
  mkdirSync(sweepsDirOf(storeDir), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const id = newRunId();
    const dir = sweepDirOf(storeDir, id);
    try {
      mkdirSync(dir);
      return { id, dir };
    } catch (e) {
      if (errCode(e) !== 'EEXIST' || attempt >= 20) throw e;
    }
  }
}

export function writeSweepRecord(dir: string, rec: SweepRecord): void {
  atomicWriteFileSync(join(dir, SWEEP_FILE), JSON.stringify(rec, null, 2) + '\n');
}

/** The record in `dir`, or undefined when missing or unreadable. */
export function readSweepRecord(dir: string): SweepRecord | undefined {
  try {
    const rec = JSON.parse(readFileSync(join(dir, SWEEP_FILE), 'utf8')) as SweepRecord;
    return rec && typeof rec.id === 'string' && Array.isArray(rec.trials) ? rec : undefined;
  } catch {
    return undefined;
  }
}

/** Every readable sweep in the store, oldest first; folders whose names cannot be sweep ids are skipped. */
export function listSweeps(storeDir: string): { dir: string; record: SweepRecord }[] {
  let names: string[];
  try {
    names = readdirSync(sweepsDirOf(storeDir)).filter(isStoreId).sort();
  } catch (e) {
    if (errCode(e) === 'ENOENT') return [];
    throw e;
  }
  return names.flatMap((id) => {
    const dir = sweepDirOf(storeDir, id);
    const record = readSweepRecord(dir);
    return record ? [{ dir, record }] : [];
  });
}

/** A sweep by exact id, unique id prefix, or unique name; throws a message listing candidates otherwise. */
export function resolveSweep(storeDir: string, ref: string): { dir: string; record: SweepRecord } {
  const all = listSweeps(storeDir);
  const exact = all.find((s) => s.record.id === ref);
  if (exact) return exact;
  const matches = all.filter((s) => s.record.id.startsWith(ref) || s.record.name === ref);
  if (matches.length === 1) return matches[0];
  const list = (xs: typeof all) => xs.slice(-10).map((s) => `  ${s.record.id}  ${s.record.name}  (${s.record.status})`).join('\n');
  if (matches.length > 1) throw new Error(`'${ref}' matches ${matches.length} sweeps; use a longer id prefix:\n${list(matches)}`);
  throw new Error(`no sweep matches '${ref}'; ${all.length ? `latest sweeps:\n${list(all)}` : `no sweeps in ${storeDir}`}`);
}
