// A finished three-objective trade-off sweep in a real store, for any test that needs one (the CLI's
// end-to-end test, the trade-off view's): examples/digits-tradeoff-sweep.hone.json (train -> prune and
// quantize -> PGD evaluation; val_accuracy, packed_bytes, eps_0.05/robust_accuracy), shrunk by --set and
// run by the built CLI (dist/) with real worker processes. Made once per test process, in a temp dir
// removed when the process exits; later calls return the same store.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../../src/core/store/types';
import type { SweepRecord } from '../../src/core/sweep/record';
import type { SweepView } from '../../src/core/sweep/view';
import type { SweepObjective } from '../../src/core/spec/sweep-types';
import { hone, readJson, ROOT, type CliResult } from './cli';
import { makeTmpDir, removeTmpDir } from './tmp';

export const TRADEOFF_SPEC = join(ROOT, 'examples/digits-tradeoff-sweep.hone.json');
export const TRADEOFF_TRIALS = 6;

/**
 * What makes the example quick (a few seconds per trial on one core) without changing its stages:
 * fewer epochs, a 5-step PGD; the evaluation covers every test point (359 < 400), so its clean
 * accuracy is the evaluated model's test accuracy.
 */
const SETS = [
  'train.epochs=4',
  'compress.prune.epochs=1',
  'robustness.evaluate.points=400',
  'robustness.evaluate.attacks=[{"attack":"pgd","steps":5}]',
];

export interface TradeoffSweep {
  store: string;
  /** `hone sweep`'s own output (--json: the sweep view on stdout). */
  cli: CliResult;
  view: SweepView;
  /** sweeps/<id>/sweep.json as the coordinator left it. */
  record: SweepRecord;
  /** Every run.json of the store, keyed by run id. */
  runs: Map<string, RunRecord>;
}

let made: TradeoffSweep | undefined;

/** The sweep, run on first call (about 10-30 s on 2 cores); throws with the CLI's output if it failed. */
export function tradeoffSweep(): TradeoffSweep {
  if (made) return made;
  const dir = makeTmpDir('hone-tradeoff-');
  process.once('exit', () => removeTmpDir(dir));
  const store = join(dir, 'store');
  const cli = hone(['sweep', TRADEOFF_SPEC, '--store', store, '--trials', String(TRADEOFF_TRIALS), '--parallel', '2', '--json', ...SETS.flatMap((s) => ['--set', s])]);
  if (cli.code !== 0) throw new Error(`hone sweep exited ${cli.code}:\n${cli.stderr}\n${cli.stdout}`);
  const view = JSON.parse(cli.stdout) as SweepView;
  const record = readJson(join(store, 'sweeps', view.id, 'sweep.json')) as SweepRecord;
  const runs = new Map(readdirSync(join(store, 'runs')).map((id) => [id, readJson(join(store, 'runs', id, 'run.json')) as RunRecord]));
  return (made = { store, cli, view, record, runs });
}

/**
 * The ids of the runs no other run beats on every objective, from run.json's `final` alone: a plain
 * pairwise check, written apart from core/sweep/objectives.ts so it can vouch for it.
 */
export function frontOfRuns(runs: RunRecord[], objectives: SweepObjective[]): string[] {
  const score = (r: RunRecord) => objectives.map((o) => (o.direction === 'maximize' ? 1 : -1) * r.final![o.metric]);
  const beats = (a: number[], b: number[]) => a.every((v, i) => v >= b[i]) && a.some((v, i) => v > b[i]);
  return runs.filter((r) => !runs.some((q) => beats(score(q), score(r)))).map((r) => r.id).sort();
}
