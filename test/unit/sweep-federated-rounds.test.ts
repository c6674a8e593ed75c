// A federated sweep's trials train rounds (one metrics line each), not train.epochs: the sweep counts
// them, its stopper judges every round, and its view says rounds. Each trial's run is scripted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startSweep, sweepStepUnit, sweepViewOf } from '../../src/core/sweep';
import { eventLine, sweepText } from '../../src/cli/sweep-format';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { scriptedTrials } from '../helpers/scripted-trials';
import { writeSpec } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

/** val_accuracy after each of 12 rounds: trial 1 keeps up for 10 rounds (= train.epochs' default), then falls behind. */
const UP = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9];
const SCRIPTS = [[...UP, 0.91, 0.92], [...UP, 0.2, 0.2]];

test('a federated sweep plans federated.rounds per trial and its stopper judges rounds past train.epochs', async () => {
  const spec = writeSpec(dir, 'fed-sweep', {
    name: 'fed-sweep', seed: 2,
    data: { source: 'digits', split: { train: 0.7, val: 0.1, test: 0.2 }, normalize: 'scale' },
    model: { type: 'mlp', layers: [8] },
    train: { optimizer: 'sgd', lr: 0.1 },
    federated: { clients: 4, fraction: 0.5, rounds: 12, localEpochs: 1 },
    sweep: {
      parameters: { 'train.lr': { type: 'float', min: 0.01, max: 0.5 } },
      objectives: [{ metric: 'val_accuracy', direction: 'maximize' }],
      sampler: { type: 'random' }, stopper: { type: 'median', startupTrials: 1, warmupEpochs: 0 }, trials: 2, parallel: 1,
    },
  });
  const sweep = startSweep(spec, {
    storeDir: join(dir, 'store'), workerPath: 'unused',
    launchTrial: scriptedTrials(SCRIPTS, 0.1),
  });
  const rec = await sweep.done;
  assert.equal(rec.epochs, 12, 'steps per trial: the federation\'s rounds, not train.epochs');
  assert.deepEqual(rec.trials.map((t) => t.state), ['completed', 'pruned']);
  assert.equal(rec.trials[1].pruned!.epoch, 11, 'judged at round 11, past train.epochs');
  assert.deepEqual(sweepViewOf(rec, false).budget, { trials: 2, timeLimit: undefined, elapsedMs: rec.elapsedMs, epochsPerTrial: 12, unit: 'round' });
  // What hone sweep and hone sweep show print count rounds too.
  const text = sweepText(sweepViewOf(rec, false));
  assert.match(text, /^trials {5}2 of 2: .*; 23 rounds, /m);
  assert.match(text, /^trial\s+state\s+rounds\s/m);
  assert.equal(eventLine({ type: 'trial-ended', trial: rec.trials[0] }, sweepStepUnit(rec)), 'trial 0 completed after 12 rounds: 0.9200');
});
