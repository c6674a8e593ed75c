/**
 * What travels through the queue. A job is data only: a Hone spec (validated again by the agent that takes
 * it) and the identity of the run it belongs to. A job carrying a command is refused: agents run Hone
 * specs, never a program named by whoever can write to the queue.
 */
import { validateFilledSpec } from '../spec/validate';
import { formatProblem } from '../spec/load';
import type { Spec } from '../spec/types';

export const JOB_VERSION = 1;

/** One run to train: the coordinator's run `runId`, trained on an agent and recorded back under the same id. */
export interface TrainJob {
  v: typeof JOB_VERSION;
  type: 'train';
  runId: string;
  name: string;
  experiment: string;
  /** The full spec (defaults filled, data paths absolute on the coordinator's machine). */
  spec: Spec;
  overrides: string[];
  epochsPlanned: number;
  sweep?: { id: string; trial: number };
  /** The coordinator's bound on the run's files together (artifacts.ts), absent from older coordinators. */
  maxArtifactBytes?: number;
}

/** Who ran (or runs) a job: kept in the run's `remote.agent`. `attempt` tells a re-run after a stall apart. */
export interface AgentIdentity {
  name: string;
  host: string;
  attempt: string;
}

/**
 * What an agent reports while it trains (BullMQ job progress): `lines` are the metrics.jsonl lines (NaN
 * kept as text) since its last report, which comes at most every PROGRESS_MS.
 */
export type AgentProgress =
  | { type: 'started'; agent: AgentIdentity }
  | { type: 'epoch'; agent: AgentIdentity; lines: string[] };

/** How often an agent reports a run's new metric lines, at most. */
export const PROGRESS_MS = 250;

/** One file of a finished run, relative to its run folder, checksummed. */
export interface Artifact {
  path: string;
  bytes: number;
  sha256: string;
  base64: string;
}

/** A finished job's return value: the agent's final record (run.json's text) and the run's files. */
export interface JobResult {
  agent: AgentIdentity;
  record: string;
  files: Artifact[];
}

/** Why a job is refused before anything runs: the message names the JSON path of what is wrong. */
export class JobRefused extends Error {
  override name = 'JobRefused';
}

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{6}$/;

/** A job refused at JSON path `path` (after `job`): what was expected, and what was found. */
export const refuse = (path: string, expected: string, found: unknown) =>
  new JobRefused(`job${path}: expected ${expected}, found ${typeof found === 'string' ? `'${found.slice(0, 80)}'` : JSON.stringify(found)?.slice(0, 80) ?? String(found)}`);

/**
 * Checks what every job has (an object of this format version and type, for a well-formed run id) and
 * returns it; a job that carries a command is refused unless `type` is 'exec' (exec-job.ts).
 */
export function jobHeader(data: unknown, type: string, version: number): Record<string, unknown> {
  if (!isObject(data)) throw refuse('', 'an object', data);
  if (type !== 'exec' && ('command' in data || data.type === 'exec')) {
    throw new JobRefused('job.command: this agent runs Hone specs only and never a command from the runs queue (`hone exec --queue` sends commands to agents started with --allow-exec)');
  }
  if (data.v !== version) throw refuse('.v', `${version} (this agent's job format)`, data.v);
  if (data.type !== type) throw refuse('.type', `'${type}'`, data.type);
  if (typeof data.runId !== 'string' || !RUN_ID.test(data.runId)) throw refuse('.runId', 'a run id like 20240131-142501-9f3a0c', data.runId);
  const max = data.maxArtifactBytes;
  if (max !== undefined && (!Number.isSafeInteger(max) || (max as number) <= 0)) throw refuse('.maxArtifactBytes', 'an integer number of bytes > 0', max);
  return data;
}

/** Checks a job taken from the queue; returns it typed, or throws JobRefused with the first problem's path. */
export function validateJob(raw: unknown): TrainJob {
  const data = jobHeader(raw, 'train', JOB_VERSION);
  for (const key of ['name', 'experiment'] as const) {
    if (typeof data[key] !== 'string' || !(data[key] as string).length) throw refuse(`.${key}`, 'a non-empty string', data[key]);
  }
  if (!Array.isArray(data.overrides) || !data.overrides.every((s) => typeof s === 'string')) throw refuse('.overrides', 'an array of strings', data.overrides);
  if (!Number.isInteger(data.epochsPlanned) || (data.epochsPlanned as number) < 0) throw refuse('.epochsPlanned', 'an integer >= 0', data.epochsPlanned);
  if (data.sweep !== undefined) {
    const s = data.sweep;
    if (!isObject(s) || typeof s.id !== 'string' || !Number.isInteger(s.trial)) throw refuse('.sweep', '{ id: string, trial: integer }', s);
  }
  const checked = validateFilledSpec(data.spec);
  if (!checked.spec) throw new JobRefused(`job.spec: ${checked.problems.slice(0, 3).map(formatProblem).join('; ')}`);
  if (checked.spec.federated) throw refuse('.spec.federated', 'no federated section (agents train plain and sweep runs)', 'a federated section');
  return { ...(data as unknown as TrainJob), spec: checked.spec };
}
