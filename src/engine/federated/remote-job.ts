/**
 * A federated client's round as a queue job (`hone run <federated spec> --queue URL`): small JSON naming
 * the run, the round, the client and the binary blobs (core/queue/blobs.ts) that hold the global weights,
 * the client's data and its error-feedback memory. The agent rebuilds the task from the run's spec,
 * which it validates like any job's: how a client trains is derived from the spec (`localConfig`), never
 * taken from the queue, and a job carrying a command is refused. What comes back is checked against the
 * task before the round uses it.
 */
import { isBlobRef, type BlobRef } from '../../core/queue/blobs';
import { isObject, JobRefused, jobHeader, refuse } from '../../core/queue/job';
import { formatProblem } from '../../core/spec/load';
import { validateFilledSpec } from '../../core/spec/validate';
import { LIMITS } from '../../core/spec/limits';
import { modelCost } from '../../core/spec/model-cost';
import type { Spec } from '../../core/spec/types';
import type { Payload } from './compression';
import type { ClientResult, ClientTask } from './protocol';
import { localConfig } from './round';

/** BullMQ queue of client jobs (keys `hone:fed:*`), beside the runs queue. */
export const FED_QUEUE = 'fed';
export const FED_JOB_VERSION = 1;

export interface FedClientJob {
  v: typeof FED_JOB_VERSION;
  type: 'fedClient';
  runId: string;
  round: number;
  client: number;
  n: number;
  /** The federated run's spec, defaults filled. */
  spec: Spec;
  data: { inputShape: number[]; classes: number };
  /** A straggler's share of its local steps. */
  maxSteps?: number;
  byzantine: boolean;
  blobs: { weights: BlobRef; x: BlobRef; y: BlobRef; residual?: BlobRef };
}

/** An agent's answer: who trained it, and the ClientResult (structured clone) as a blob. */
export interface FedClientReturn {
  agent: string;
  backend: string;
  result: BlobRef;
}

/** The job id of a client's round: enqueueing it again (a retried round) adds nothing. */
export const fedJobId = (runId: string, round: number, client: number) => `${runId}-r${round}-c${client}`;

const isInt = (x: unknown, min: number) => Number.isInteger(x) && (x as number) >= min;

/** Checks a client job taken from the queue; returns it typed, or throws JobRefused naming the JSON path. */
export function validateFedJob(raw: unknown): FedClientJob {
  const data = jobHeader(raw, 'fedClient', FED_JOB_VERSION);
  if (!isInt(data.round, 1)) throw refuse('.round', 'an integer >= 1', data.round);
  if (!isInt(data.client, 0)) throw refuse('.client', 'an integer >= 0', data.client);
  if (!isInt(data.n, 1)) throw refuse('.n', 'an integer >= 1', data.n);
  if (data.maxSteps !== undefined && !isInt(data.maxSteps, 1)) throw refuse('.maxSteps', 'an integer >= 1', data.maxSteps);
  if (typeof data.byzantine !== 'boolean') throw refuse('.byzantine', 'true or false', data.byzantine);
  const d = data.data;
  if (!isObject(d) || !Array.isArray(d.inputShape) || !d.inputShape.length || d.inputShape.length > 3 || !d.inputShape.every((s) => isInt(s, 1))) {
    throw refuse('.data.inputShape', 'an array of 1 to 3 integers >= 1', isObject(d) ? d.inputShape : d);
  }
  if (!isInt(d.classes, 0)) throw refuse('.data.classes', 'an integer >= 0', d.classes);
  const b = data.blobs;
  if (!isObject(b)) throw refuse('.blobs', 'an object', b);
  for (const key of ['weights', 'x', 'y', 'residual']) {
    if ((key !== 'residual' || b[key] !== undefined) && !isBlobRef(b[key])) throw refuse(`.blobs.${key}`, '{ sha256: 64 hex digits, bytes: integer, run: run id }', b[key]);
    if (b[key] !== undefined && (b[key] as BlobRef).run !== data.runId) throw refuse(`.blobs.${key}.run`, `this job's run, ${data.runId}`, (b[key] as BlobRef).run);
  }
  const row = (d.inputShape as number[]).reduce((a, s) => a * s, 1);
  const n = data.n as number;
  if ((b.x as BlobRef).bytes !== n * row * 4) throw refuse('.blobs.x.bytes', `${n * row * 4} (n x ${row} float32 values)`, (b.x as BlobRef).bytes);
  if ((b.y as BlobRef).bytes !== n * 4) throw refuse('.blobs.y.bytes', `${n * 4} (n float32 labels)`, (b.y as BlobRef).bytes);
  // The spec's data section names the coordinator's file, which the agent never reads: the limits are
  // judged on the data that came with the job.
  const checked = validateFilledSpec(data.spec, { limits: false });
  if (!checked.spec) throw new JobRefused(`job.spec: ${checked.problems.slice(0, 3).map(formatProblem).join('; ')}`);
  if (!checked.spec.federated) throw refuse('.spec.federated', 'a federated section (a client job belongs to a federated run)', undefined);
  clientFits(checked.spec, d.inputShape as number[], d.classes as number, n);
  return { ...(data as unknown as FedClientJob), spec: checked.spec };
}

/**
 * The machine limits a local run is held to (checks-model's modelFits, checks-federated's localBatchFits),
 * for the client's model on the job's own data: `input` and `classes` (0: regression) and its `n` samples.
 */
function clientFits(spec: Spec, input: number[], classes: number, n: number): void {
  const cost = modelCost(spec.model, input, classes || 1);
  if (!cost || cost.params > LIMITS.params) throw refuse('.spec.model', `a model of at most ${LIMITS.params} weights (128 MiB as float32)`, cost ? `${cost.params} weights` : 'a model that does not fit the data');
  const f = spec.federated!;
  const rows = f.batchSize > 0 && f.algorithm !== 'fedsgd' ? Math.min(f.batchSize, n) : n;
  if (cost.activations * rows > LIMITS.batchActivations) {
    throw refuse('.spec.federated.batchSize', `at most ${LIMITS.batchActivations} activations per local batch (1 GiB as float32)`, `${cost.activations} per sample × ${rows} rows`);
  }
}

/** The task a client job stands for, once its blobs are read. */
export function taskOfJob(j: FedClientJob, arrays: { weights: Float32Array; x: Float32Array; y: Float32Array; residual?: Float32Array }): ClientTask {
  const f = j.spec.federated!;
  const local = localConfig(f, j.spec.train, j.spec.seed, j.round, j.client, j.n, { kind: 'full' });
  return {
    round: j.round, client: j.client, n: j.n, ...arrays,
    local: j.maxSteps ? { ...local, maxSteps: j.maxSteps } : local,
    ...(j.byzantine && f.attack ? { attack: f.attack } : {}),
    ...(f.compression ? { compression: f.compression } : {}),
  };
}

const isArrayOf = (x: unknown, type: new (n: number) => ArrayBufferView, length?: number) =>
  x instanceof type && (length === undefined || (x as unknown as ArrayLike<number>).length === length);

/** The payload's problem for a model of `sizes` tensors, if any. */
function payloadProblem(p: Payload, sizes: readonly number[]): string | undefined {
  const d = sizes.reduce((a, s) => a + s, 0);
  if (!isObject(p)) return 'no payload';
  if (p.kind === 'dense') return isArrayOf(p.values, Float32Array, d) ? undefined : `dense values: expected ${d} float32`;
  if (p.kind === 'topk') {
    const ok = p.size === d && isArrayOf(p.indices, Uint32Array) && isArrayOf(p.values, Float32Array, p.indices.length) && p.indices.every((i) => i < d);
    return ok ? undefined : `top-k: expected matching uint32 indices < ${d} and float32 values`;
  }
  if (p.kind === 'q8') {
    const ok = isArrayOf(p.codes, Uint8Array, d) && isArrayOf(p.lo, Float32Array, sizes.length) && isArrayOf(p.hi, Float32Array, sizes.length);
    return ok ? undefined : `q8: expected ${d} codes and ${sizes.length} ranges`;
  }
  return `unknown payload kind ${JSON.stringify((p as { kind?: unknown }).kind)}`;
}

/** Checks an agent's result against the task it answers; throws saying what does not match. */
export function checkClientResult(r: ClientResult, task: ClientTask, sizes: readonly number[]): ClientResult {
  const where = `client ${task.client} in round ${task.round}`;
  if (!isObject(r) || r.round !== task.round || r.client !== task.client || r.n !== task.n) throw new Error(`${where}: the agent's result is for another task`);
  for (const key of ['steps', 'loss', 'accuracy', 'globalAccuracy', 'globalLoss', 'ms'] as const) {
    if (typeof r[key] !== 'number') throw new Error(`${where}: the agent's result has no number ${key}`);
  }
  const problem = payloadProblem(r.payload, sizes);
  if (problem) throw new Error(`${where}: the agent's update is malformed (${problem})`);
  if (r.residual !== undefined && !isArrayOf(r.residual, Float32Array, task.weights.length)) throw new Error(`${where}: the agent's residual is malformed`);
  return r;
}
