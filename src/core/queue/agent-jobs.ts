/**
 * What an agent does with one run job: validate it, its data path included (a refused job fails at once,
 * never retried), record the
 * run under the coordinator's id in a temporary store, start its worker (the training worker, or for an
 * exec job on an `--allow-exec` agent the exec supervisor), report the attempt and the metric lines in
 * batches as job progress, and return the final record with the run's files (checksummed, size-limited).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UnrecoverableError, type Job } from 'bullmq';
import { EXEC_WORKER } from '../exec';
import { launchRun, type RunHandle } from '../runner';
import { runDirOf, writeRunRecord } from '../store';
import { stringifyJson } from '../store/numbers';
import type { RunRecord } from '../store/types';
import { jobArtifactLimit, packArtifacts } from './artifacts';
import { batcher } from './batcher';
import { checkDataPath } from './data-dirs';
import { validateExecJob } from './exec-job';
import { isObject, JobRefused, PROGRESS_MS, validateJob, type AgentIdentity, type AgentProgress, type JobResult } from './job';

/** The agent as its jobs see it. */
export interface JobContext {
  name: string;
  /** The bundled training worker (dist/worker.js); the exec supervisor is beside it. */
  workerPath: string;
  versions: Record<string, string>;
  maxArtifactBytes: number;
  /** Where a job's data files may be read from (data-dirs.ts). */
  dataDirs: string[];
  /** Runs in progress by id, for stop requests and the registration. */
  active: Map<string, RunHandle>;
  stopped: Set<string>;
  changed(): void;
}

/** A refusal as BullMQ takes it: an UnrecoverableError, so the job fails at once and is never retried. */
export const refusal = (e: unknown, agent: string): unknown => (e instanceof JobRefused ? new UnrecoverableError(`refused by agent ${agent}: ${e.message}`) : e);

/** A job's data validated, or the refusal saying why this agent will not run it. */
function checked<T>(validate: (data: unknown) => T, job: Job, agent: string): T {
  try {
    return validate(job.data);
  } catch (e) {
    throw refusal(e, agent);
  }
}

const base = (c: JobContext) => ({
  status: 'queued' as const, created: new Date().toISOString(), host: hostname(), pid: process.pid, epochsDone: 0, versions: { node: process.version, ...c.versions },
});

/** A run of the `runs` queue: a Hone spec, trained by the training worker. */
export function runTrainJob(job: Job, c: JobContext): Promise<JobResult> {
  const j = checked((data) => {
    // The data path first: validateJob's limit checks read the data file.
    checkDataPath(isObject(data) ? data.spec : undefined, c.dataDirs);
    return validateJob(data);
  }, job, c.name);
  return runRecordJob(job, c, c.workerPath, j.maxArtifactBytes, {
    ...base(c), id: j.runId, kind: 'train', name: j.name, experiment: j.experiment, spec: j.spec, overrides: j.overrides, seed: j.spec.seed,
    epochsPlanned: j.epochsPlanned, ...(j.sweep && { sweep: j.sweep }),
  });
}

/** A run of the `exec` queue (agents started with --allow-exec only): the command, under the exec supervisor. */
export function runExecJob(job: Job, c: JobContext): Promise<JobResult> {
  const j = checked(validateExecJob, job, c.name);
  if (!existsSync(j.cwd) || !statSync(j.cwd).isDirectory()) throw new UnrecoverableError(`agent ${c.name}: the folder ${j.cwd} the command runs in is not on this machine`);
  return runRecordJob(job, c, join(dirname(c.workerPath), EXEC_WORKER), j.maxArtifactBytes, {
    ...base(c), id: j.runId, kind: 'exec', name: j.name, experiment: j.experiment, spec: { name: j.experiment, params: j.params, command: j.command, cwd: j.cwd },
    overrides: j.overrides, seed: 0, epochsPlanned: 0,
  });
}

async function runRecordJob(job: Job, c: JobContext, workerPath: string, coordinatorLimit: number | undefined, record: RunRecord): Promise<JobResult> {
  const agent: AgentIdentity = { name: c.name, host: hostname(), attempt: `${c.name}-${randomBytes(4).toString('hex')}` };
  const report = (p: AgentProgress) => job.updateProgress(p).catch(() => undefined);
  const store = mkdtempSync(join(tmpdir(), 'hone-agent-'));
  try {
    const dir = runDirOf(store, record.id);
    mkdirSync(dir, { recursive: true });
    writeRunRecord(dir, record);
    await report({ type: 'started', agent });
    const lines = batcher<string>((batch) => void report({ type: 'epoch', agent, lines: batch }), PROGRESS_MS);
    const h = launchRun<{ type: string; line?: unknown }>(store, { record, dir, indexed: Promise.resolve() }, {
      workerPath, exitWithParent: true,
      onMessage: (m) => m.type === 'epoch' && lines.push(stringifyJson(m.line)),
    });
    c.active.set(record.id, h);
    c.changed();
    const rec = await h.done.finally(() => {
      lines.flush();
      c.active.delete(record.id);
      c.stopped.delete(record.id);
      c.changed();
    });
    return { agent, record: stringifyJson(rec), files: packArtifacts(dir, jobArtifactLimit(c.maxArtifactBytes, coordinatorLimit)) };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}
