import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { compressRun, readCompressReport } from '../core/compress';
import { runView } from '../core/views';
import { COMPRESS_SHOWN, Progress } from './progress';
import { runsTable } from './format';
import { json, print } from './io';
import { compressionLines } from './compress-format';
import { version } from '../../package.json';

export interface CompressArgs {
  store: string;
  ref?: string;
  specPath?: string;
  sets: string[];
  json: boolean;
}

/**
 * `hone compress <run> [spec.json] [--set ...]`: compresses a run's saved model in a child run (kind
 * `compress`, parent the run), shows progress as `hone run` does, then the sizes, latency and accuracy.
 * Exit 0 when it completes, 1 when it ends otherwise, 2 for bad input (nothing is written then).
 */
export async function compressCommand(a: CompressArgs): Promise<number> {
  if (!a.ref) throw new InputError('hone compress: give the run to compress (id, id prefix or name), then a spec file with a compress section or --set compress.<...>');
  const progress = new Progress(a.json ? process.stderr : process.stdout);
  const h = compressRun({ storeDir: a.store, ref: a.ref, specPath: a.specPath, sets: a.sets, versions: { hone: version } }, {
    workerPath: resolve(__dirname, 'worker.js'),
    onMessage: (m) => (m.type === 'epoch' ? progress.epoch(h.id, h.name, m.line, m.epochs, m.unit, COMPRESS_SHOWN) : progress.message(h.id, h.name, m)),
  });
  for (const note of h.notes) progress.note(`hone compress: ${note}`);
  progress.note(`${h.name}: run ${h.id} compresses run ${h.parent.id}`);
  const onSignal = () => h.stop();
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const rec = await h.done;
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  progress.finish(h.id, h.name, rec);
  const report = readCompressReport(h.runDir);
  if (a.json) json({ ...runView(rec, h.runDir), compress: report });
  else print([`\n${runsTable([rec])}`, ...(report ? ['', ...compressionLines(report)] : []), `store: ${resolve(a.store)}`].join('\n'));
  return rec.status === 'completed' ? 0 : 1;
}
