import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { EXEC_WORKER, parseSets, startExecRun } from '../core/exec';
import { num } from '../core/format';
import { runView } from '../core/views';
import { version } from '../../package.json';

export interface ExecArgs {
  /** The command and its arguments: everything after `--`. */
  command: string[];
  store: string;
  name?: string;
  sets: string[];
  json: boolean;
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
  const out = a.json ? process.stderr : process.stdout;
  const h = startExecRun({ storeDir: a.store, command: a.command, cwd: process.cwd(), name: a.name, params, versions: { hone: version } }, {
    workerPath: resolve(__dirname, EXEC_WORKER),
    // A Buffer passes the terminal guard unescaped: the command's own colours and progress bars, as if run directly.
    onMessage: (m) => m.type === 'output' && (m.stream === 'stdout' ? out : process.stderr).write(Buffer.from(m.text)),
  });
  note(`run ${h.id} (${h.name}) started; Ctrl-C stops it`);
  const onSignal = () => h.stop();
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const rec = await h.done;
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  const metrics = metricsLine(rec.final);
  note(`run ${rec.id} ${rec.status}${rec.message ? `: ${rec.message}` : ''}${metrics ? `\n  ${metrics}` : ''}\n  folder ${h.runDir}`);
  if (a.json) process.stdout.write(JSON.stringify(runView(rec, h.runDir), null, 2) + '\n');
  return rec.status === 'completed' ? 0 : 1;
}
