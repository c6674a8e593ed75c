import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors';
import { LIMITS } from '../core/spec/limits';
import { refusalHint } from '../core/store/writable';
import { DEFAULT_STORE } from '../core/store/store-option';
import { runCommand } from './run';
import { exportCommand, showCommand, stopCommand } from './inspect';
import { lsCommand } from './ls';
import { rmCommand } from './rm';
import { noteCommand, starCommand, tagCommand } from './organize';
import { compareCommand } from './compare';
import { dataCommand } from './data';
import { table } from './format';
import { json, positiveInt, print } from './io';
import { backendInstallCommand, probeBackends } from './backend';
import { dashboardCommand } from './dashboard';
import { reportCommand } from './report';
import { sweepCommand } from './sweep';
import { installTerminalGuard } from './terminal';
import { checkTaken, commandOf, COMMANDS } from './commands';
import { importCommand } from './import';
import { execCommand } from './exec';
import { resumeCommand } from './resume';
import { compressCommand } from './compress';
import { unpackCommand } from './unpack';
import { attackCommand } from './attack';

const USAGE = `Usage: hone <command> [options]

  run <spec.hone.json...> [--set path=value ...] [--parallel N] [--json]   train, wait, print results
  ls [--filter F] [--sort KEY[:desc]] [--limit N] [--json]   runs in the store, one table per experiment
                                     F: clauses like status=completed tag=baseline val_accuracy>0.9 train.lr<=0.01
  show <run> [--json]                one run: status, lineage, metrics, provenance (code, data, machine), log
  compare <run> <run> [run...] [--all] [--json]   spec fields that differ and final metrics side by side
  stop <run>                         stop a running run (it saves its model and records 'stopped'); a queued run never starts
  resume <run> [--json]              continue a crashed, stopped or failed run from its last checkpoint (spec: train.checkpoint)
  compress <run> [spec.json] [--set path=value ...] [--json]   compress a run's model in a child run (prune, structured, share, quantize)
  unpack <model.hone | run> [--out DIR]   a packed model as plain TF.js files (model.json + float32 weights.bin)
  attack <run> [--eps E[,E...]] [--norm linf|l2] [--attacks A[,A...]] [--points N] [--set robustness.evaluate.k=v] [--json]
                                     robust accuracy of a run's saved model under attacks (apgd-ce, apgd-dlr, square, pgd, fgsm), as a child run
  rm <run...> | rm --filter F [--yes] | rm --sweep <sweep> [--yes]   delete finished runs (children: --with-children or --detach)
  tag <run> <tag...> [--remove]      add or remove tags;  note <run> "text";  star <run...> [--remove]
  export <run> --format csv|json [--out FILE]   metrics per epoch
  backend ls [--json]                which TF.js backends work here, and why others do not
  backend install tensorflow|tensorflow-gpu|webgpu   npm-install an optional backend into $HONE_BACKEND_DIR (default ~/.hone/backends)
  dashboard [--out FILE.html]        the dashboard as one self-contained HTML file (default <store>/dashboard.html)
  report <run|sweep>... [--out FILE.html]   a self-contained page for sharing: the trade-off plot of those runs (or the
                                     sweep's trials), the non-dominated front and each front run's provenance (default <store>/report.html)
  sweep <spec.hone.json> [--trials N] [--parallel N] [--set path=value ...] [--json]   run the spec's sweep
  sweep resume <sweep> [--trials N] [--parallel N] [--json] [--queue URL]   continue a stopped or killed sweep (completed trials kept)
  sweep show <sweep> [--json]        trials, best trial or Pareto front, parameter importance, history
  sweep stop <sweep> | sweep ls [--json]   stop a running sweep (resumable); list sweeps
  run|sweep ... --queue URL          train on queue agents instead of here (URL: redis://[user:pass@]host:port[/db], rediss:// for TLS;
                                     or $HONE_QUEUE); results arrive in the local store as they train; a federated
                                     spec's rounds run here and its clients train on the agents (one job per client)
  agent --queue URL [--concurrency N] [--tags a,b] [--name NAME] [--lock-ms MS] [--max-artifact-mb MB] [--allow-exec]
        [--data-dir DIR ...]         train runs and federated clients from the queue on this machine (Hone specs
                                     only; with --allow-exec also hone exec commands), until Ctrl-C; jobs read data
                                     files only inside the --data-dir folders and this machine's MNIST folders
  agent ls --queue URL [--json]      the agents on a queue: host, backend, concurrency, tags, jobs
  data mnist [--dir DIR]             verify MNIST, or download it (checksummed) into DIR or ~/.hone/datasets/mnist
  exec [--name NAME] [--set k=v ...] [--json] [--queue URL] -- <command> [args...]   run any command as a tracked run (metrics through
                                     docs/exec-protocol.md); --queue: on an agent started with --allow-exec, in this folder
  import tensorboard <logdir> [--name EXPERIMENT] [--force] [--json]   TensorBoard scalars as runs, one per event-file folder (exit 1 if a file is corrupt)

  --store DIR   the run store, for the commands that use one (default: $HONE_STORE or ./.hone)
  A command refuses options and arguments it does not take (exit 2).
  <run> is a run id, a unique id prefix, or a run name.
Exit codes: 0 ok, 1 a run did not complete, 2 bad input.`;

async function backendLs(asJson: boolean): Promise<number> {
  const rows = await probeBackends();
  if (asJson) json(rows);
  else print(table(['backend', 'works', 'detail'], rows.map((r) => [r.name, r.ok ? 'yes' : 'no', r.detail])));
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
      filter: { type: 'string' },
      sort: { type: 'string' },
      limit: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      'with-children': { type: 'boolean' },
      detach: { type: 'boolean' },
      sweep: { type: 'boolean' },
      remove: { type: 'boolean' },
      all: { type: 'boolean' },
      dir: { type: 'string' },
      eps: { type: 'string' },
      norm: { type: 'string' },
      attacks: { type: 'string' },
      points: { type: 'string' },
      queue: { type: 'string' },
      concurrency: { type: 'string' },
      tags: { type: 'string' },
      'lock-ms': { type: 'string' },
      'max-artifact-mb': { type: 'string' },
      'allow-exec': { type: 'boolean' },
      'data-dir': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (o.help || !command) return print(USAGE), command || o.help ? 0 : 2;
  // An unknown command (or `hone backend` without ls|install) is refused by the switch below.
  const taken = commandOf(positionals);
  if (taken) checkTaken(taken.name, Object.keys(o), taken.args);
  // An empty $HONE_STORE is unset (as shells treat empty variables); an empty --store is a mistake: either
  // would otherwise make the current folder the store.
  if (o.store === '') throw new InputError('--store: expected a folder, found an empty string');
  const store = o.store ?? (process.env.HONE_STORE || DEFAULT_STORE);
  if (taken && COMMANDS[taken.name].options.includes('store') && existsSync(store) && !statSync(store).isDirectory()) {
    throw new InputError(`--store ${store}: expected a store folder (or a path where one can be made), found a file`);
  }
  const asJson = Boolean(o.json);
  switch (command) {
    case 'run': return runCommand({ specs: rest, store, sets: o.set ?? [], json: asJson, parallel: positiveInt('--parallel', o.parallel), queue: o.queue });
    case 'ls': return lsCommand(store, { json: asJson, filter: o.filter, sort: o.sort, limit: positiveInt('--limit', o.limit) });
    case 'show': return showCommand(store, rest[0], asJson);
    case 'compare': return compareCommand(store, rest, Boolean(o.all), asJson);
    case 'stop': return stopCommand(store, rest[0]);
    case 'resume': return resumeCommand(store, rest[0], asJson);
    case 'compress': return compressCommand({ store, ref: rest[0], specPath: rest[1], sets: o.set ?? [], json: asJson });
    case 'unpack': return unpackCommand(store, rest[0], o.out);
    case 'attack': return attackCommand({ store, ref: rest[0], eps: o.eps, norm: o.norm, attacks: o.attacks, points: o.points, sets: o.set ?? [], json: asJson });
    case 'rm': {
      if (o['with-children'] && o.detach) throw new InputError('hone rm: --with-children and --detach exclude each other');
      const children = o['with-children'] ? 'delete' : o.detach ? 'detach' : undefined;
      return rmCommand(store, { refs: rest, filter: o.filter, sweep: Boolean(o.sweep), yes: Boolean(o.yes), children });
    }
    case 'data': return dataCommand(rest, o.dir);
    case 'tag': return tagCommand(store, rest, Boolean(o.remove));
    case 'note': return noteCommand(store, rest);
    case 'star': return starCommand(store, rest, Boolean(o.remove));
    case 'export': return exportCommand(store, rest[0], o.format, o.out);
    case 'dashboard': return dashboardCommand(store, o.out);
    case 'report': return reportCommand(store, rest, o.out);
    case 'sweep':
      return sweepCommand({
        args: rest, store, sets: o.set ?? [], json: asJson, trials: positiveInt('--trials', o.trials, LIMITS.gridCombinations), parallel: positiveInt('--parallel', o.parallel, LIMITS.sweepParallel), queue: o.queue,
      });
    case 'agent':
      return (await import('./agent')).agentCommand({
        args: rest, queue: o.queue, name: o.name, concurrency: positiveInt('--concurrency', o.concurrency), tags: o.tags,
        lockMs: positiveInt('--lock-ms', o['lock-ms']), maxArtifactMb: positiveInt('--max-artifact-mb', o['max-artifact-mb']), allowExec: Boolean(o['allow-exec']), dataDirs: o['data-dir'] ?? [], json: asJson,
      });
    case 'exec': {
      // Everything after `--` is the command, options like its own --name included.
      const command = argv.includes('--') ? argv.slice(argv.indexOf('--') + 1) : rest;
      if (rest.length > command.length) throw new InputError(`hone exec: unexpected '${rest[0]}' before --`);
      return execCommand({ command, store, name: o.name, sets: o.set ?? [], json: asJson, queue: o.queue });
    }
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
