// Event files written by another encoder: the official protobuf runtime with TensorBoard's own .proto files
// and TensorBoard's own TFRecord writer (test/fixtures/tensorboard/make_fixture.py says how). Float32 values
// read back as the shortest decimal of their float32 (0.6931f -> 0.6931); doubles and int64s exactly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone, readJson, ROOT } from '../helpers/cli';

const LOGS = join(ROOT, 'test/fixtures/tensorboard/logs');
let store: string;
before(() => (store = makeTmpDir()));
after(() => removeTmpDir(store));

test('imports the reference-encoded fixture: TF2 tensors of four encodings, TF1 simple values, hparams', () => {
  const r = hone(['import', 'tensorboard', LOGS, '--store', store, '--name', 'fixture']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^train: imported as \S+ \(4 tags, 3 steps, 6 non-scalar values skipped\)$/m, 'histograms and images skipped');
  const runs = Object.fromEntries(readdirSync(join(store, 'runs')).map((id) => {
    const dir = join(store, 'runs', id);
    return [readJson(join(dir, 'run.json')).name, dir];
  }));
  const metrics = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

  const train = readJson(join(runs.train, 'run.json'));
  assert.equal(train.experiment, 'fixture');
  assert.deepEqual(train.spec.params, { learning_rate: 0.001, optimizer: 'adam', dropout: true });
  assert.deepEqual([train.created, train.finished], ['2023-11-14T22:13:20.000Z', '2023-11-14T22:13:23.000Z']);
  assert.deepEqual(metrics(runs.train).map((l) => [l.step, l.time, l.lr, l.metrics]), [
    [0, 1, 0.001, { epoch_loss: 0.6931, epoch_accuracy: 0.52, epoch_learning_rate: 0.001, examples_seen: 1000 }],
    [1, 2, 0.0005, { epoch_loss: 0.4812, epoch_accuracy: 0.81, epoch_learning_rate: 0.0005, examples_seen: 2000 }],
    [2, 3, 0.001 / 3, { epoch_loss: 0.3507, epoch_accuracy: 0.9, epoch_learning_rate: 0.001 / 3, examples_seen: 3000 }],
  ]);

  assert.deepEqual(metrics(runs.validation).map((l) => [l.step, l.time, l.metrics]), [
    [0, 1.5, { loss: 0.71, accuracy: 0.5 }],
    [1, 2.5, { loss: 0.55, accuracy: 0.77 }],
    [2, 3.5, { loss: 0.49, accuracy: 0.84 }],
  ]);
});
