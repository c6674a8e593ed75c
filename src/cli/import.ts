import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { importTensorboard, type ImportReport, type RunOutcome } from '../core/import';
import { json } from './io';
import { oneLine } from './terminal';
import { version } from '../../package.json';

export interface ImportArgs {
  args: string[];
  store: string;
  experiment?: string;
  force: boolean;
  json: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function runLine(outcome: RunOutcome): string {
  // A folder's name may hold a newline: it must not fake a line of the report.
  const r = { ...outcome, name: oneLine(outcome.name) };
  const skipped = r.skippedValues ? `, ${plural(r.skippedValues, 'non-scalar value')} skipped` : '';
  if (r.outcome === 'skipped') return `${r.name}: skipped (already imported as ${r.id})`;
  const bad = r.problems.length ? `; ${plural(r.problems.length, 'problem')}` : '';
  if (r.outcome === 'empty') return `${r.name}: nothing imported (no scalars${skipped}${bad})`;
  const stale = r.purgedPoints ? `; ${plural(r.purgedPoints, 'stale point')} dropped, see above` : '';
  if (!r.replaced) return `${r.name}: imported as ${r.id} (${plural(r.tags, 'tag')}, ${plural(r.steps, 'step')}${skipped}${stale})`;
  const was = `was ${r.replaced.map((e) => e.steps).join(' and ')}; replaces ${r.replaced.map((e) => e.id).join(' and ')}`;
  return `${r.name}: re-imported as ${r.id} (${plural(r.tags, 'tag')}, ${plural(r.steps, 'step')}, ${was}${skipped}${stale})`;
}

function summaryLine(report: ImportReport, store: string): string {
  const count = (o: RunOutcome['outcome']) => report.runs.filter((r) => r.outcome === o).length;
  const problems = report.runs.reduce((n, r) => n + r.problems.length, 0);
  const replacing = report.runs.filter((r) => r.replaced).length;
  return `${plural(count('imported'), 'run')} imported into experiment '${oneLine(report.experiment)}'`
    + (replacing ? ` (${replacing} replacing an earlier import)` : '')
    + (count('skipped') ? `, ${count('skipped')} skipped` : '')
    + (count('empty') ? `, ${count('empty')} without scalars` : '')
    + (problems ? `; ${plural(problems, 'problem')} (see above): exit code 1` : '')
    + `\nstore: ${resolve(store)}`;
}

/**
 * `hone import tensorboard <logdir>`: one line per run folder and a summary. A corrupt file is reported on
 * stderr with its byte offset (a file that cannot be opened, with why) and exits 1, after the readable
 * records and the other runs were imported.
 * Stale points dropped after a restart are reported on stderr too, without changing the exit code.
 */
export async function importCommand(a: ImportArgs): Promise<number> {
  const [format, logdir] = a.args;
  if (format !== 'tensorboard') throw new InputError(`hone import: expected 'tensorboard', found ${format ?? 'nothing'}`);
  if (!logdir) throw new InputError('hone import tensorboard: give one logdir (the folder TensorBoard was pointed at)');
  if (a.experiment !== undefined && !a.experiment.trim()) throw new InputError('--name: give a non-empty experiment name');
  const report = await importTensorboard({ logdir, storeDir: a.store, experiment: a.experiment, force: a.force, versions: { hone: version } });
  for (const p of report.runs.flatMap((r) => [...r.purged, ...r.problems])) process.stderr.write(`hone: ${p}\n`);
  if (a.json) json({ ...report, store: resolve(a.store) });
  else process.stdout.write([...report.runs.map(runLine), summaryLine(report, a.store)].join('\n') + '\n');
  return report.runs.some((r) => r.problems.length) ? 1 : 0;
}
