// Where a sweep's relative data paths resolve: the spec's folder (the CLI), or the folder the caller
// names (the extension's hone.datasetsDir), for the spec's checks and for every trial alike.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSweep } from '../../src/core/sweep';
import type { LaunchTrial } from '../../src/core/sweep/trial-run';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { writeSpec } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const csv = (folder: string) => {
  mkdirSync(folder, { recursive: true });
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 5},${i % 2}`).join('\n');
  writeFileSync(join(folder, 'd.csv'), `a,b,label\n${rows}\n`);
};

const spec = (folder: string) => writeSpec(folder, 'csv-sweep', {
  name: 'csv-sweep',
  data: { source: 'csv', path: 'd.csv', target: 'label', split: { train: 0.6, val: 0.2, test: 0.2 } },
  model: { type: 'mlp', layers: [4] },
  train: { epochs: 1 },
  sweep: { parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1 } }, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], sampler: { type: 'random' }, trials: 1, parallel: 1 },
});

/** Runs a one-trial sweep whose trial never trains; returns the data path its trial was given and the record's baseDir. */
async function trialDataPath(specPath: string, baseDir?: string): Promise<{ path: unknown; baseDir: string }> {
  let given: LaunchTrial | undefined;
  const h = startSweep(specPath, {
    storeDir: join(dir, 'store'), workerPath: 'unused', ...(baseDir ? { baseDir } : {}),
    launchTrial: (o) => {
      given = o;
      o.onQueued('20200101-000000-000000');
      return { runId: '20200101-000000-000000', done: Promise.resolve(undefined), stop: () => undefined };
    },
  });
  const rec = await h.done;
  return { path: (given!.spec.data as { path: string }).path, baseDir: rec.baseDir };
}

test('a sweep started with a data folder checks and trains on the file there, not one beside the spec', async () => {
  const datasets = join(dir, 'datasets');
  const specs = join(dir, 'specs');
  csv(datasets);
  mkdirSync(specs);
  const file = spec(specs);
  // Only the data folder has d.csv: the spec is valid against it.
  assert.deepEqual(await trialDataPath(file, datasets), { path: join(datasets, 'd.csv'), baseDir: datasets });
  // Without a data folder (the CLI) the spec's folder counts, where no d.csv is.
  assert.throws(() => startSweep(file, { storeDir: join(dir, 'store'), workerPath: 'unused' }), /data\.path: expected an existing CSV file/);
  // With a d.csv beside the spec too, the data folder's still wins; the CLI keeps the spec's.
  csv(specs);
  assert.equal((await trialDataPath(file, datasets)).path, join(datasets, 'd.csv'));
  assert.equal((await trialDataPath(file)).path, join(specs, 'd.csv'));
});
