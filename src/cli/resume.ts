import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { resumeRun } from '../core/resume';
import { readRunRecord } from '../core/store';
import { Progress } from './progress';
import { printResults } from './run';

/**
 * `hone resume <run>`: a crashed, stopped or failed run goes on from its last checkpoint, in its own
 * folder; shows progress as `hone run` does. Exit 0 once it completes, 1 when it ends otherwise, 2 when
 * it cannot be resumed (nothing changed then).
 */
export async function resumeCommand(store: string, ref: string | undefined, asJson: boolean): Promise<number> {
  if (!ref) throw new InputError('hone resume: give a run id, id prefix or run name');
  const progress = new Progress(asJson ? process.stderr : process.stdout);
  const h = await resumeRun(store, ref, {
    workerPath: resolve(__dirname, 'worker.js'),
    onMessage: (m) => progress.message(h.id, h.name, m, spec),
  });
  // Read before any message arrives: a worker's messages come in later turns of the event loop.
  const spec = readRunRecord(h.runDir)?.spec;
  const dropped = h.dropped ? `; its ${h.dropped} later metric line(s) go once it trains, to be recomputed` : '';
  progress.note(`${h.name}: run ${h.id} resumes from the checkpoint of epoch ${h.fromEpoch}${dropped}`);
  const onSignal = () => h.stop();
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const rec = await h.done;
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  progress.finish(h.id, h.name, rec);
  return printResults([{ rec, dir: h.runDir }], store, asJson);
}
