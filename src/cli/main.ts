import { parseArgs } from 'node:util';
import { InputError } from '../core/errors';
import { refusalHint } from '../core/store/writable';
import { runCommand } from './run';
import { exportCommand, lsCommand, rmCommand, showCommand, stopCommand } from './inspect';
import { table } from './format';
import { backendInstallCommand } from './backend';
import { dashboardCommand } from './dashboard';
import { positiveInt, sweepCommand } from './sweep';
import { installTerminalGuard } from './terminal';
import { importCommand } from './import';
import { resumeCommand } from './resume';

const USAGE = `Usage: hone <command> [options]

  run <spec.hone.json...> [--set path=value ...] [--parallel N] [--json]   train, wait, print results
  ls [--json]                        runs in the store, one table per experiment
  show <run> [--json]                one run: status, backend and why, metrics, files
  stop <run>                         stop a running run (it saves its model and records 'stopped')
  resume <run> [--json]              continue a crashed, stopped or failed run from its last checkpoint (spec: train.checkpoint)
  rm <run>                           delete a finished run
  export <run> --format csv|json [--out FILE]   metrics per epoch
  backend ls                         which TF.js backends work here, and why others do not
  backend install tensorflow|tensorflow-gpu|webgpu   npm-install an optional backend into $HONE_BACKEND_DIR (default ~/.hone/backends)
  dashboard [--out FILE.html]        the dashboard as one self-contained HTML file (default <store>/dashboard.html)
  sweep <spec.hone.json> [--trials N] [--parallel N] [--set path=value ...] [--json]   run the spec's sweep
  sweep resume <sweep> [--trials N]  continue a stopped or killed sweep (completed trials kept)
  sweep show <sweep> [--json]        trials, best trial or Pareto front, parameter importance, history
  sweep stop <sweep> | sweep ls      stop a running sweep (resumable); list sweeps
  import tensorboard <logdir> [--name EXPERIMENT] [--force] [--json]   TensorBoard scalars as runs, one per event-file folder (exit 1 if a file is corrupt)

  --store DIR   the run store (default: $HONE_STORE or ./.hone)
  <run> is a run id, a unique id prefix, or a run name.
Exit codes: 0 ok, 1 a run did not complete, 2 bad input.`;

async function backendLs(asJson: boolean): Promise<number> {
  const { probeBackends } = await import('../engine/backend');
  const rows = await probeBackends();
  if (asJson) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  else process.stdout.write(table(['backend', 'works', 'detail'], rows.map((r) => [r.name, r.ok ? 'yes' : 'no', r.detail])) + '\n');
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      store: { type: 'string' },
      set: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      parallel: { type: 'string' },
      trials: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  const store = o.store ?? process.env.HONE_STORE ?? '.hone';
  const asJson = Boolean(o.json);
  if (o.help || !command) return process.stdout.write(USAGE + '\n'), command || o.help ? 0 : 2;
  switch (command) {
    case 'run': {
      const parallel = o.parallel === undefined ? undefined : Number(o.parallel);
      if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1)) throw new InputError(`--parallel: expected an integer >= 1, found ${o.parallel}`);
      return runCommand({ specs: rest, store, sets: o.set ?? [], json: asJson, parallel });
    }
    case 'ls': return lsCommand(store, asJson);
    case 'show': return showCommand(store, rest[0], asJson);
    case 'stop': return stopCommand(store, rest[0]);
    case 'resume': return resumeCommand(store, rest[0], asJson);
    case 'rm': return rmCommand(store, rest[0]);
    case 'export': return exportCommand(store, rest[0], o.format, o.out);
    case 'dashboard': return dashboardCommand(store, o.out);
    case 'sweep':
      return sweepCommand({ args: rest, store, sets: o.set ?? [], json: asJson, trials: positiveInt('--trials', o.trials), parallel: positiveInt('--parallel', o.parallel) });
    case 'import': return importCommand({ args: rest, store, experiment: o.name, force: Boolean(o.force), json: asJson });
    case 'backend':
      if (rest[0] === 'ls') return backendLs(asJson);
      if (rest[0] === 'install') return backendInstallCommand(rest[1]);
      throw new InputError(`hone backend: expected 'ls' or 'install', found ${rest[0] ?? 'nothing'}`);
    default:
      throw new InputError(`unknown command '${command}'\n\n${USAGE}`);
  }
}

installTerminalGuard();
main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: Error) => {
    const input = e instanceof InputError || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`hone: ${input || !process.env.HONE_DEBUG ? e.message : e.stack}${refusalHint(e)}\n`);
    process.exitCode = input ? 2 : 1;
  },
);
