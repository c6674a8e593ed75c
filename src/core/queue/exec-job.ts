/**
 * `hone exec --queue URL -- <command>`: a command as a tracked run on an agent. Such jobs go to a queue of
 * their own (`exec`), which only agents started with `--allow-exec` take: a default agent never sees them,
 * and still refuses a command arriving on the runs queue. The command is argv (no shell), run in the folder
 * the coordinator ran `hone exec` in, which must exist on the agent too.
 */
import { isAbsolute } from 'node:path';
import { isObject, JOB_VERSION, jobHeader, refuse } from './job';

/** BullMQ queue of exec jobs (keys `hone:exec:*`). */
export const EXEC_QUEUE = 'exec';

export interface ExecJob {
  v: typeof JOB_VERSION;
  type: 'exec';
  runId: string;
  name: string;
  experiment: string;
  command: string[];
  cwd: string;
  params: Record<string, unknown>;
  overrides: string[];
  maxArtifactBytes?: number;
}

const MAX_ARGS = 1000;
const MAX_ARG_CHARS = 32_768;

/** Checks an exec job taken from the queue; returns it typed, or throws JobRefused naming the JSON path. */
export function validateExecJob(data: unknown): ExecJob {
  const d = jobHeader(data, 'exec', JOB_VERSION);
  for (const key of ['name', 'experiment'] as const) {
    if (typeof d[key] !== 'string' || !(d[key] as string).length) throw refuse(`.${key}`, 'a non-empty string', d[key]);
  }
  const cmd = d.command;
  if (!Array.isArray(cmd) || !cmd.length || cmd.length > MAX_ARGS || !cmd.every((a) => typeof a === 'string' && a.length <= MAX_ARG_CHARS) || !cmd[0]) {
    throw refuse('.command', `a program and its arguments: 1 to ${MAX_ARGS} strings, the first non-empty`, cmd);
  }
  if (typeof d.cwd !== 'string' || !isAbsolute(d.cwd)) throw refuse('.cwd', 'an absolute folder', d.cwd);
  if (!isObject(d.params)) throw refuse('.params', 'an object', d.params);
  if (!Array.isArray(d.overrides) || !d.overrides.every((s) => typeof s === 'string')) throw refuse('.overrides', 'an array of strings', d.overrides);
  return d as unknown as ExecJob;
}
