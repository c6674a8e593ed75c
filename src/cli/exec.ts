import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { EXEC_FLOW_ENV, EXEC_WORKER, parseSets, queueExecRun, startExecRun } from '../core/exec';
import type { RunRecord } from '../core/store/types';
import { num } from '../core/format';
import { runView } from '../core/views';
import { json } from './io';
import { oneLine } from './terminal';
import { version } from '../../package.json';

export interface ExecArgs {
  /** The command and its arguments: everything after `--`. */
  command: string[];
  store: string;
  name?: string;
  sets: string[];
  json: boolean;
  /** Run it on an agent started with --allow-exec (core/queue/exec-job.ts) instead of here. */
  queue?: string;
}

const note = (text: string) => process.stderr.write(`hone: ${text}\n`);
const metricsLine = (m: Record<string, number> = {}) => Object.keys(m).sort().map((k) => `${k}=${num(m[k])}`).join(' ');

/**
 * `hone exec [--name N] [--set k=v ...] -- <command> [args...]`: runs the command as a tracked run and
 * waits for it. Its output is echoed unchanged (stdout to stdout, or to stderr under --json; stderr to
 * stderr); Hone's own lines go to stderr. Ctrl-C stops the run (twice: kills it). Exit 0 when the run
 * completed, 1 when it did not (failed, crashed, stopped), 2 for bad input.
 */
export async function execCommand(a: ExecArgs): Promise<number> {
  if (!a.command.length) throw new InputError('hone exec: give the command after --, e.g. hone exec -- python3 train.py');
  if (a.name !== undefined && !a.name.trim()) throw new InputError('--name: give a non-empty name');
  const params = parseSets(a.sets);
  // --queue, else $HONE_QUEUE (README: the URL there keeps its password out of the process list).
  if (a.queue ?? process.env.HONE_QUEUE) return execOnQueue(a, params);
  const out = a.json ? process.stderr : process.stdout;
  const h = startExecRun({ storeDir: a.store, command: a.command, cwd: process.cwd(), name: a.name, params, versions: { hone: version } }, {
    workerPath: resolve(__dirname, EXEC_WORKER),
    env: { [EXEC_FLOW_ENV]: '1' },
    // A Buffer passes the terminal guard unescaped: the command's own colours and progress bars, as if run
    // directly. Each chunk is acknowledged once written, so a slow reader holds the command back (EXEC_FLOW_ENV).
    onMessage: (m, reply) => {
      if (m.type !== 'output') return;
      const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
      (m.stream === 'stdout' ? out : process.stderr).write(bytes, () => reply({ type: 'consumed', bytes: bytes.length }));
    },
  });
  note(`run ${h.id} (${oneLine(h.name)}) started; Ctrl-C stops it`);
  const onSignal = () => h.stop();
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const rec = await h.done;
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  return ended(rec, h.runDir, a.json);
}

/** How the run ended, on stderr (and as JSON with --json); exit 0 when it completed. */
function ended(rec: RunRecord, runDir: string, asJson: boolean): number {
  const metrics = metricsLine(rec.final);
  note(`run ${rec.id} ${rec.status}${rec.message ? `: ${oneLine(rec.message)}` : ''}${metrics ? `\n  ${metrics}` : ''}\n  folder ${runDir}`);
  if (asJson) json(runView(rec, runDir));
  return rec.status === 'completed' ? 0 : 1;
}

/**
 * `hone exec --queue URL -- <command>`: the run is recorded here and its command runs on an agent started
 * with --allow-exec, in the folder this command runs in (which the agent must have too); its output comes
 * back in the run's log when it ends.
 */
async function execOnQueue(a: ExecArgs, params: Record<string, unknown>): Promise<number> {
  const q = await import('../core/queue');
  const remote = await q.RemoteQueue.open(q.queueAddress(a.queue, 'hone exec'), q.EXEC_QUEUE);
  try {
    const agents = await remote.agents();
    if (agents && !agents.some((x) => x.exec)) note(`no agent on ${remote.address.redacted} takes commands now (hone agent --allow-exec); the run waits for one`);
    const queued = queueExecRun({ storeDir: a.store, command: a.command, cwd: process.cwd(), name: a.name, params, versions: { hone: version } });
    const run = remote.submit(a.store, queued);
    note(`run ${queued.record.id} (${oneLine(queued.record.name)}) enqueued on ${remote.address.redacted}; its output comes back in its log when it ends; Ctrl-C stops it`);
    const onSignal = () => run.stop();
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    const rec = (await run.done) ?? { ...queued.record, status: 'crashed' as const, message: 'its run folder was deleted while it ran' };
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    return ended(rec, queued.dir, a.json);
  } finally {
    await remote.close();
  }
}
