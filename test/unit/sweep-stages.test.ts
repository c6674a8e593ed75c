// The sweep coordinator with trials that train, then compress: a stopper judges training epochs only.
// A real coordinator and sweep record; each trial's run is scripted (its epochs' val_accuracy), so the
// known answer does not depend on how a real network happens to train.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startSweep } from '../../src/core/sweep';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { scriptedTrials } from '../helpers/scripted-trials';
import { digitsSpec, writeSpec } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

/**
 * val_accuracy after each epoch: 2 training epochs, then epoch 3 retrains the pruned model. Trial 1
 * trains as well as trial 0 and only its (sparser) compressed model scores lower; trial 2 trains worse.
 */
const SCRIPTS = [[0.8, 0.9, 0.85], [0.8, 0.9, 0.3], [0.8, 0.5, 0.4]];

/** A sweep spec of `trials` trials that train `epochs` epochs, then prune with one retraining epoch; median stopper. */
const stagedSweep = (name: string, epochs: number, trials: number) => writeSpec(dir, name, {
  ...digitsSpec(name, { epochs }),
  compress: { prune: { sparsity: 0.5, epochs: 1 }, latency: { runs: 0 } },
  sweep: {
    parameters: { 'compress.prune.sparsity': { type: 'float', min: 0.3, max: 0.9 } },
    objectives: [{ metric: 'val_accuracy', direction: 'maximize' }],
    sampler: { type: 'random' }, stopper: { type: 'median', startupTrials: 1, warmupEpochs: 0 }, trials, parallel: 1,
  },
});

test('the median stopper prunes on a training epoch, never on a compression epoch (they go past train.epochs)', async () => {
  const spec = stagedSweep('stages', 2, 3);
  const stopped: number[] = [];
  const sweep = startSweep(spec, {
    storeDir: join(dir, 'store'), workerPath: 'unused',
    launchTrial: scriptedTrials(SCRIPTS, 0.01, (n) => stopped.push(n)),
  });
  const rec = await sweep.done;
  assert.deepEqual(rec.trials.map((t) => t.state), ['completed', 'completed', 'pruned']);
  assert.deepEqual(stopped, [2]);
  assert.equal(rec.trials[2].pruned!.epoch, 2);
  assert.deepEqual(rec.trials[1].values, [0.3], 'trial 1 ends with its compressed model\'s value');
  assert.deepEqual(rec.trials[1].intermediate[3], [0.3], 'compression epochs are recorded, only not judged');
});

test('a trial whose training stopped early (early stopping) is not judged on its compression epochs, numbered among the training ones', async () => {
  const spec = stagedSweep('early', 4, 2);
  const prune = (value: number) => ({ value, stage: 'prune' });
  // Trial 0 trains 4 epochs, then prunes in epoch 5; trial 1 stops training after epoch 2 and prunes in epoch 3.
  const early = [[0.8, 0.9, 0.91, 0.92, prune(0.85)], [0.8, 0.9, prune(0.3)]];
  const stopped: number[] = [];
  const rec = await startSweep(spec, { storeDir: join(dir, 'early-store'), workerPath: 'unused', launchTrial: scriptedTrials(early, 0.01, (n) => stopped.push(n)) }).done;
  assert.deepEqual(rec.trials.map((t) => t.state), ['completed', 'completed'], 'its compressed 0.3 is not held against trial 0\'s training epoch 3');
  assert.deepEqual(stopped, []);
  assert.equal(rec.trials[1].intermediate[3], undefined, 'nor kept as its epoch-3 value, which later trials\' epoch 3 would be judged against');
  assert.equal(rec.trials[1].epochs, 3);
  assert.deepEqual(rec.trials[0].intermediate[5], [0.85], 'a compression epoch past the training ones is recorded as before');
});
