// A three-objective trade-off sweep end to end under real processes (test/helpers/tradeoff-sweep.ts):
// each trial trains, prunes to its sampled sparsity, quantizes, and is attacked; its objectives come
// from all three stages, and the front the sweep reports is the one the store's run.json files give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frontOfRuns, TRADEOFF_SPEC, TRADEOFF_TRIALS, tradeoffSweep } from '../helpers/tradeoff-sweep';
import { trialFacts } from '../../src/core/dashboard/trial';
import { sweepNodes } from '../../src/extension/sweep-model';
import { loadSpecFile } from '../../src/core/spec/load';
import { queueRun } from '../../src/core/runner';
import { hone } from '../helpers/cli';
import type { Spec } from '../../src/core/spec';

test('every trial completes, as one run through train, compress and robustness.evaluate, with its parameters as sampled', () => {
  const { record, runs } = tradeoffSweep();
  assert.equal(record.status, 'completed');
  assert.deepEqual(record.trials.map((t) => [t.number, t.state]), Array.from({ length: TRADEOFF_TRIALS }, (_, i) => [i, 'completed']));
  assert.equal(runs.size, TRADEOFF_TRIALS, 'one run per trial: no child runs, no retries');
  for (const t of record.trials) {
    const run = runs.get(t.runId!)!;
    const spec = run.spec as Spec;
    assert.deepEqual(run.sweep, { id: record.id, trial: t.number });
    assert.equal(run.status, 'completed');
    const sparsity = t.params['compress.prune.sparsity'] as number;
    assert.equal(spec.compress!.prune!.sparsity, sparsity, 'the run\'s spec holds the sampled sparsity');
    assert.ok(Math.abs(run.final!.sparsity - sparsity) < 0.01, `measured sparsity ${run.final!.sparsity} for ${sparsity}`);
    assert.equal(spec.compress!.quantize!.bits, t.params['compress.quantize.bits']);
    assert.equal(spec.train.lr, t.params['train.lr']);
    assert.ok(run.final!.packed_bytes > 0 && run.final!.compression_ratio > 1, JSON.stringify(run.final));
  }
});

test('the three objective values are the run\'s final metrics, in sweep.json and in the sweep view', () => {
  const { record, runs, view } = tradeoffSweep();
  const metrics = record.sweep.objectives.map((o) => o.metric);
  assert.deepEqual(metrics, ['val_accuracy', 'packed_bytes', 'eps_0.05/robust_accuracy']);
  for (const t of record.trials) {
    const final = runs.get(t.runId!)!.final!;
    assert.deepEqual(t.values, metrics.map((m) => final[m]));
    assert.deepEqual(view.trials[t.number].objectives, Object.fromEntries(metrics.map((m) => [m, final[m]])));
  }
});

test('the robustness evaluation attacked the compressed model the run reports: its hash is model/ as left, its clean accuracy the compressed test accuracy', () => {
  const { store, record, runs } = tradeoffSweep();
  for (const t of record.trials) {
    const run = runs.get(t.runId!)!;
    const model = join(store, 'runs', run.id, 'model');
    const sha = createHash('sha256').update(readFileSync(join(model, 'model.json'))).update(readFileSync(join(model, 'weights.bin'))).digest('hex');
    assert.deepEqual(run.robustness!.evaluation!.model, { run: run.id, sha256: sha });
    const log = readFileSync(join(store, 'runs', run.id, 'log.txt'), 'utf8');
    assert.ok(log.indexOf('robustness: evaluating the compressed model in model/') > log.indexOf('compress: before'), 'the log says which model, after compressing');
    assert.equal(run.final!.eval_points, 359, 'every test point');
    assert.ok(Math.abs(run.final!.clean_accuracy - run.final!.test_accuracy) < 1e-9, `clean ${run.final!.clean_accuracy} vs compressed test ${run.final!.test_accuracy}`);
  }
  const changed = record.trials.filter((t) => { const f = runs.get(t.runId!)!.final!; return f.test_accuracy !== f.test_accuracy_before; });
  assert.ok(changed.length > 0, 'compression changed some model\'s test accuracy, so the check above tells the two models apart');
});

test('the front the sweep reports (sweep.json view, hone sweep show) equals the front recomputed from the store\'s run.json files', () => {
  const { store, record, runs, view, cli } = tradeoffSweep();
  const expected = frontOfRuns([...runs.values()], record.sweep.objectives);
  const byRun = (numbers: number[]) => numbers.map((n) => record.trials[n].runId!).sort();
  assert.deepEqual(byRun(view.pareto), expected);
  assert.deepEqual(view.trials.filter((t) => t.pareto).map((t) => t.runId).sort(), expected);
  const shown = JSON.parse(hone(['sweep', 'show', record.id, '--store', store, '--json']).stdout);
  assert.deepEqual(byRun(shown.pareto), expected);
  const text = hone(['sweep', 'show', record.id, '--store', store]).stdout;
  assert.match(text, new RegExp(`pareto +${expected.length} trial\\(s\\) that no other trial beats on every objective`));
  assert.match(cli.stderr, new RegExp(`trial ${TRADEOFF_TRIALS - 1} completed`), 'the CLI reported each trial as it ended');
});

test('hone ls shows a trial\'s parameters and its accuracy, size and robust accuracy side by side', () => {
  const { store } = tradeoffSweep();
  const header = hone(['ls', '--store', store]).stdout.split('\n').find((l) => l.startsWith('id '))!.split(/\s+/);
  for (const column of ['compress.prune.sparsity', 'compress.quantize.bits', 'train.lr', 'test_accuracy', 'packed_bytes', 'robust_accuracy', 'val_accuracy']) {
    assert.ok(header.includes(column), `${column} in ${header.join(' ')}`);
  }
});

test('a trial plans the epochs its run trains, retraining and the measurement line included: done is never above planned', () => {
  const { store, record, runs, view } = tradeoffSweep();
  const planned = 4 + 1 + 1; // train.epochs, compress.prune.epochs, the compressed model's measurements
  const nodes = sweepNodes([view], [...runs.values()])[0].children!;
  const table = hone(['sweep', 'show', record.id, '--store', store]).stdout;
  for (const t of record.trials) {
    const run = runs.get(t.runId!)!;
    assert.deepEqual([t.epochs, t.planned, run.epochsDone, run.epochsPlanned], [planned, planned, planned, planned]);
    const shown = view.trials[t.number];
    assert.deepEqual([trialFacts(view, shown, run).epochs, trialFacts(view, shown).planned], [planned, planned]);
    assert.match(nodes[t.number].tooltip, new RegExp(`completed, ${planned} of ${planned} epochs`));
    assert.match(table, new RegExp(`^ +${t.number} +completed.* ${planned}/${planned} `, 'm'));
  }
  // Queued, before its worker starts, a run already plans them (the runs table reads 0/16, not 0/12).
  const spec = loadSpecFile(TRADEOFF_SPEC).spec!;
  const queued = queueRun({ storeDir: join(store, 'queued'), spec, overrides: [] });
  assert.equal(queued.record.epochsPlanned, 12 + 3 + 1);
});
