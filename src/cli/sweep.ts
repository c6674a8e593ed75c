import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { listSweepViews, loadSweepSpec, loadSweepView, requestSweepStop, resumeSweep, startSweep, sweepResumeCommand, sweepStepUnit, type SweepHandle, type SweepRunOptions } from '../core/sweep';
import { eventLine, objectivesText, sweepText } from './sweep-format';
import { table } from './format';
import { json, print } from './io';
import { version } from '../../package.json';

export interface SweepArgs {
  /** What follows `sweep`: a spec file, or resume|show|stop|ls and a sweep reference. */
  args: string[];
  store: string;
  sets: string[];
  json: boolean;
  trials?: number;
  parallel?: number;
  /** Trials on queue agents (core/queue). */
  queue?: string;
}

/**
 * Runs a sweep to its end, one line per trial event; Ctrl-C stops it (resumable). Exit 0 unless stopped.
 * `queue`: the trials go to agents; the queue client (BullMQ, ioredis) is loaded only then.
 */
async function follow(start: (o: SweepRunOptions) => SweepHandle, a: SweepArgs, queue?: { command: string }): Promise<number> {
  const q = queue && await import('../core/queue');
  const remote = q && await q.RemoteQueue.open(q.queueAddress(a.queue, queue.command));
  try {
    return await followOn(start, a, remote && q.queueTrials(remote, a.store));
  } finally {
    await remote?.close();
  }
}

async function followOn(start: (o: SweepRunOptions) => SweepHandle, a: SweepArgs, queue: SweepRunOptions['queue']): Promise<number> {
  const out = a.json ? process.stderr : process.stdout;
  let unit: 'epoch' | 'round' = 'epoch';
  const h = start({
    storeDir: a.store, workerPath: resolve(__dirname, 'worker.js'), versions: { hone: version }, trials: a.trials, parallel: a.parallel,
    ...(queue && { queue }),
    onEvent: (e) => {
      if (e.type === 'sweep-started') unit = sweepStepUnit(e.record);
      const line = eventLine(e, unit);
      if (line) out.write(`${line}\n`);
    },
  });
  const onSignal = () => h.stop();
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const rec = await h.done;
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  const view = loadSweepView(a.store, rec.id);
  if (a.json) json(view);
  else print(`\n${sweepText(view)}`);
  if (rec.status === 'stopped') out.write(`resume with: ${sweepResumeCommand(a.store, rec)}\n`);
  // README: exit 1 when a run did not complete; a sweep none of whose trials completed is no success.
  return rec.status === 'completed' && rec.trials.some((t) => t.state === 'completed') ? 0 : 1;
}

function findView(store: string, ref: string | undefined) {
  if (!ref) throw new InputError('give a sweep id, id prefix or name');
  try {
    return loadSweepView(store, ref);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

/** `hone sweep <spec>`, `hone sweep resume|show|stop <sweep>`, `hone sweep ls`. */
export async function sweepCommand(a: SweepArgs): Promise<number> {
  const [sub, ref] = a.args;
  switch (sub) {
    case undefined:
      throw new InputError('hone sweep: give a spec file with a sweep section, or resume|show|stop <sweep>, or ls');
    case 'resume': {
      if (!ref) throw new InputError('hone sweep resume: give a sweep id, id prefix or name');
      // A sweep whose trials ran on a queue goes on there (resumeSweep refuses it without one).
      const v = findView(a.store, ref);
      return follow((o) => resumeSweep(ref, o), a, a.queue || (v.queue && process.env.HONE_QUEUE) ? { command: 'hone sweep resume' } : undefined);
    }
    case 'show': {
      const v = findView(a.store, ref);
      return a.json ? json(v) : print(sweepText(v)), 0;
    }
    case 'stop': {
      const v = findView(a.store, ref);
      requestSweepStop(a.store, v.id);
      return print(`sweep ${v.id}: stop requested; its running trials stop after their batch`), 0;
    }
    case 'ls': {
      const views = listSweepViews(a.store);
      if (a.json) return json(views), 0;
      const rows = views.map((v) => [v.id, v.name, v.status, String(v.trials.length), v.sampler.type, v.stopper.type,
        v.best !== undefined ? objectivesText(v.trials[v.best].objectives) : v.pareto.length ? `${v.pareto.length} on the Pareto front` : '']);
      return print(views.length ? table(['sweep', 'name', 'status', 'trials', 'sampler', 'stopper', 'best'], rows) : `no sweeps in ${resolve(a.store)}`), 0;
    }
    default: {
      // --queue, else $HONE_QUEUE (README: the URL there keeps its password out of the process list).
      const onQueue = Boolean(a.queue ?? process.env.HONE_QUEUE);
      // A bad spec is reported as such before a queue is reached (an unreachable one would say only that).
      if (onQueue) loadSweepSpec(sub, { sets: a.sets, trials: a.trials }, true);
      return follow((o) => startSweep(sub, { ...o, sets: a.sets }), a, onQueue ? { command: 'hone sweep' } : undefined);
    }
  }
}
