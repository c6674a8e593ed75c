import { dirname, resolve } from 'node:path';
import { cpus } from 'node:os';
import { InputError } from '../core/errors';
import { formatProblems, loadSpecFile } from '../core/spec';
import { withAbsolutePaths } from '../core/spec/absolute-paths';
import { mapLimit, startRun, type RunHandle } from '../core/runner';
import { runView } from '../core/views';
import type { RunRecord } from '../core/store/types';
import { Progress } from './progress';
import { FED_QUEUE_ENV } from '../engine/federated/protocol';
import { runsTable } from './format';
import { json, print } from './io';
import { version } from '../../package.json';

export interface RunArgs {
  specs: string[];
  store: string;
  sets: string[];
  json: boolean;
  parallel?: number;
  /** Train on queue agents instead of here (core/queue). */
  queue?: string;
}

/** `hone run`: validates every spec first (nothing starts if one is bad), then runs them, at most `parallel` at once. */
export async function runCommand(a: RunArgs): Promise<number> {
  if (!a.specs.length) throw new InputError('hone run: give at least one spec file (*.hone.json)');
  const loaded = a.specs.map((file) => ({ file: resolve(file), ...loadSpecFile(file, a.sets) }));
  const bad = loaded.filter((l) => l.problems.length);
  if (bad.length) throw new InputError(bad.map((l) => formatProblems(l.file, l.problems)).join('\n'));
  const progress = new Progress(a.json ? process.stderr : process.stdout);
  // The queue client (BullMQ, ioredis) is loaded only for a queue: every other run starts without it.
  // --queue, else $HONE_QUEUE (README: the URL there keeps its password out of the process list).
  const queue = a.queue ?? (process.env.HONE_QUEUE || undefined);
  const q = queue === undefined ? undefined : await import('../core/queue');
  const remote = q && await q.RemoteQueue.open(q.queueAddress(queue, 'hone run'));
  const handles: { stop(): void }[] = [];
  // Ctrl-C stops the runs in flight, and no further spec starts (each is reported as not started).
  let stopping = false;
  const onSignal = () => {
    stopping = true;
    handles.forEach((h) => h.stop());
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  // On a queue every run is enqueued at once: the agents' concurrency decides how many train together.
  const results = await mapLimit(loaded, remote ? loaded.length : a.parallel ?? cpus().length, async (l): Promise<{ rec: RunRecord; dir: string } | { notStarted: string }> => {
    if (stopping) return { notStarted: l.file };
    const spec = withAbsolutePaths(l.spec!, dirname(l.file));
    const request = { storeDir: a.store, spec, specPath: l.file, overrides: a.sets, versions: { hone: version } };
    // A federated run's coordinator runs here; with a queue, its clients train on the agents.
    const h: RunHandle = remote && !spec.federated
      ? remote.start(request, (line) => progress.message(h.id, h.name, { type: 'epoch', line, epochs: spec.train.epochs }, spec))
      : startRun(request, {
        workerPath: resolve(__dirname, 'worker.js'), onMessage: (m) => progress.message(h.id, h.name, m, spec),
        ...(remote && queue && { env: { [FED_QUEUE_ENV]: queue } }),
      });
    handles.push(h);
    const rec = await h.done;
    progress.finish(h.id, h.name, rec);
    return { rec, dir: h.runDir };
  }).finally(() => remote?.close());
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  const ran = results.flatMap((r) => ('rec' in r ? [r] : []));
  const notStarted = results.flatMap((r) => ('notStarted' in r ? [r.notStarted] : []));
  for (const file of notStarted) progress.note(`${file}: not started (the command was stopped)`);
  const code = printResults(ran, a.store, a.json);
  return notStarted.length ? 1 : code;
}

/** The runs a command trained, as JSON or as a table; exit 0 when every one completed, else 1. */
export function printResults(results: { rec: RunRecord; dir: string }[], store: string, asJson: boolean): number {
  if (asJson) json(results.map((r) => runView(r.rec, r.dir)));
  else print(`\n${runsTable(results.map((r) => r.rec))}\nstore: ${resolve(store)}`);
  return results.every((r) => r.rec.status === 'completed') ? 0 : 1;
}
