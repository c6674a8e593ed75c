// Checkpoints in process, on the cpu backend: the RNG and every optimizer continue from a saved state
// exactly as they would have gone on; a training run resumed from any of its checkpoints (in memory or
// through the files) ends with the very weights and metric lines of the uninterrupted run; the best/
// slot holds the best checkpoint; the folder format survives a write killed at any point.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec, OptimizerName, TrainSpec } from '../../src/core/spec/types';
import type { MetricLine } from '../../src/core/store/types';
import { createRng } from '../../src/core/rng';
import { CHECKPOINTS_DIR, readCheckpoint, writeCheckpoint } from '../../src/core/resume';
import { loadDataset, type Dataset } from '../../src/engine/data';
import { buildModel } from '../../src/engine/models';
import { createOptimizer, loadTrainCheckpoint, saveTrainCheckpoint, train, type TrainCheckpoint } from '../../src/engine/train';
import { digitsData, trainSpec, useCpu } from '../helpers/engine';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

let dir: string;
before(async () => {
  await useCpu();
  dir = makeTmpDir();
});
after(() => removeTmpDir(dir));

test('rng: state() then restore() continues the very sequence, the cached normal included', () => {
  const a = createRng(11);
  for (let i = 0; i < 5; i++) a.next();
  a.normal(); // leaves the pair's second value cached
  const s = JSON.parse(JSON.stringify(a.state()));
  const expected = [a.normal(), a.next(), a.int(1000), ...a.shuffle([1, 2, 3, 4, 5, 6])];
  const b = createRng(999);
  b.restore(s);
  assert.deepEqual([b.normal(), b.next(), b.int(1000), ...b.shuffle([1, 2, 3, 4, 5, 6])], expected);
  assert.throws(() => b.restore({ words: [1, 2, 3, -1], spare: null }), /four unsigned 32-bit words/);
});

const OPTIMIZERS: OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'adagrad', 'rmsprop'];

/** Runs steps `from`..`to` of a fixed gradient sequence on `vars` (a gradient depends on the weights, like a real one). */
function steps(opt: ReturnType<typeof createOptimizer>, vars: tf.Variable[], from: number, to: number): void {
  for (let k = from; k < to; k++) {
    const grads = vars.map((v, i) => tf.tidy(() => v.mul(0.3).add(tf.sin(tf.range(0, v.size).add(k + i)).reshape(v.shape))));
    opt.step(grads, 0.05 / (1 + k));
    tf.dispose(grads);
  }
}

for (const name of OPTIMIZERS) {
  test(`${name}: saving its state and restoring it into a fresh optimizer gives identical next steps`, () => {
    const init = [tf.tensor2d([[0.5, -1], [2, 0.25]]), tf.tensor1d([0.1, -0.3])];
    const make = () => {
      const vars = init.map((t) => tf.variable(t.clone()));
      return { vars, opt: createOptimizer(vars, { name, momentum: 0.9, weightDecay: 0.1, decayed: [true, false] }) };
    };
    const a = make();
    steps(a.opt, a.vars, 0, 4);
    const saved = a.opt.state();
    const copy = { t: saved.t, slots: saved.slots.map((s) => s.clone()), weights: a.vars.map((v) => v.clone()) };
    assert.equal(copy.t, name.startsWith('adam') ? 4 : 0);
    steps(a.opt, a.vars, 4, 9);
    const b = make();
    b.vars.forEach((v, i) => v.assign(copy.weights[i]));
    b.opt.restore(copy);
    steps(b.opt, b.vars, 4, 9);
    b.vars.forEach((v, i) => assert.deepEqual(v.dataSync(), a.vars[i].dataSync(), `variable ${i}`));
    if (copy.slots.length) assert.throws(() => b.opt.restore({ t: 0, slots: copy.slots.slice(1) }), /optimizer state does not fit/);
    [a, b].forEach((x) => (x.opt.dispose(), tf.dispose(x.vars)));
    tf.dispose([...init, ...copy.slots, ...copy.weights]);
  });
}

/** Trains `model` from scratch (or from `ckpt`) on `data`, keeping every checkpoint and epoch line. */
async function runFrom(data: Dataset, m: ModelSpec, t: TrainSpec, ckpt?: TrainCheckpoint) {
  const model = buildModel(m, data, 4, t.dropout);
  const checkpoints: { c: TrainCheckpoint; best: boolean }[] = [];
  const lines: MetricLine[] = [];
  const result = await train(model, data, t, 4, {
    onEpoch: (l) => void lines.push(l),
    shouldStop: () => false,
    onCheckpoint: (c, best) => void checkpoints.push({ c, best }),
  }, ckpt);
  const weights = model.getWeights().map((w) => w.dataSync());
  model.dispose();
  return { result, lines, checkpoints, weights };
}

// `time` is wall-clock and `tensors` counts every model alive in this process: neither can repeat.
const strip = (lines: MetricLine[]) => lines.map(({ time, tensors, ...rest }) => rest);

const mlp: ModelSpec = { type: 'mlp', layers: [32], activation: 'relu', dropout: 0.2 };
const cnn: ModelSpec = { type: 'cnn', filters: [4], kernelSize: 3, pool: 2, dense: [16], activation: 'relu', dropout: 0.25, batchNorm: true };
const CASES: { name: string; model: ModelSpec; t: Partial<TrainSpec>; resumeAt: number[] }[] = [
  { name: 'MLP, dropout, Adam, shuffled minibatches', model: mlp, t: { optimizer: 'adam', lr: 0.01, batchSize: 64 }, resumeAt: [1, 3] },
  {
    name: 'CNN with batch norm and dropout, momentum SGD, step schedule, L2, clipping',
    model: cnn, t: { optimizer: 'momentum', lr: 0.05, batchSize: 128, schedule: { type: 'step', stepEpochs: 2, gamma: 0.5 }, l2: 1e-3, clipNorm: 1 },
    resumeAt: [3],
  },
  {
    name: 'AdamW, onecycle, early stopping (resumed before it stops, and at the epoch it stopped)', model: mlp,
    t: { optimizer: 'adamw', lr: 0.05, batchSize: 32, schedule: { type: 'onecycle', pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 }, earlyStopping: { metric: 'val_accuracy', patience: 1, minDelta: 0.01, mode: 'auto' } },
    resumeAt: [1, -1],
  },
];

for (const c of CASES) {
  test(`resumed from a checkpoint, training ends exactly as uninterrupted: ${c.name}`, async () => {
    const data = loadDataset(digitsData(), 4, process.cwd());
    const t = trainSpec({ ...c.t, epochs: 6, dropout: 0, checkpoint: { every: 1 } });
    const whole = await runFrom(data, c.model, t);
    assert.equal(whole.checkpoints.length, whole.lines.length, 'one checkpoint per complete epoch');
    assert.equal(new Set(whole.lines.map((l) => l.tensors)).size, 1, 'checkpoints cost no tensors');
    if (c.t.earlyStopping) assert.match(whole.result.message, /early stopping at epoch \d: .*; restored the weights of epoch \d/);
    for (const at of c.resumeAt) {
      const ckpt = whole.checkpoints.at(at)!.c;
      // Through the files, so the format's round trip is part of what must be exact.
      saveTrainCheckpoint(join(dir, 'run'), ckpt, false, { train: t });
      const resumed = await runFrom(data, c.model, t, loadTrainCheckpoint(join(dir, 'run')));
      resumed.weights.forEach((w, i) => assert.deepEqual(w, whole.weights[i], `weight ${i} after resuming at epoch ${ckpt.epoch}`));
      assert.deepEqual(strip(resumed.lines), strip(whole.lines.slice(ckpt.epoch)), 'the epochs after the checkpoint');
      assert.deepEqual(resumed.result, whole.result);
      assert.deepEqual(resumed.checkpoints.map((x) => x.best), whole.checkpoints.slice(ckpt.epoch).map((x) => x.best));
    }
  });
}

test('best/ holds the checkpoint with the lowest val_loss, or the early-stopping metric in its direction', async () => {
  const data = loadDataset(digitsData({ train: 0.2, val: 0.4, test: 0.4 }), 4, process.cwd());
  const big: ModelSpec = { type: 'mlp', layers: [128], activation: 'relu', dropout: 0 };
  const run = join(dir, 'best');
  const { lines, checkpoints } = await runFrom(data, big, trainSpec({ lr: 0.02, batchSize: 16, epochs: 12, checkpoint: { every: 2 } }));
  checkpoints.forEach(({ c, best }) => saveTrainCheckpoint(run, c, best, { model: big }));
  const atCheckpoints = lines.filter((l) => l.epoch % 2 === 0);
  const lowest = atCheckpoints.reduce((b, l) => (l.metrics.val_loss < b.metrics.val_loss ? l : b));
  assert.equal(readCheckpoint(run, 'best')!.epoch, lowest.epoch);
  assert.equal(readCheckpoint(run, 'last')!.epoch, 12);

  const es = { metric: 'val_accuracy', patience: 100, minDelta: 0, mode: 'auto' as const };
  const byAcc = await runFrom(data, big, trainSpec({ lr: 0.02, batchSize: 16, epochs: 6, earlyStopping: es, checkpoint: { every: 1 } }));
  let best = -Infinity;
  for (const { c, best: isBest } of byAcc.checkpoints) {
    assert.equal(isBest, c.last.metrics.val_accuracy > best, `epoch ${c.epoch}`);
    best = Math.max(best, c.last.metrics.val_accuracy);
  }
});

const sample = (epoch: number) => ({
  epoch,
  state: { note: `epoch ${epoch}`, nan: NaN },
  arrays: [{ name: 'w', shape: [2, 2], data: Float32Array.of(epoch, 0.1, -0, NaN) }, { name: 'order', shape: [3], data: Int32Array.of(2, 0, 1) }],
});

test('files: a checkpoint reads back bit for bit; no checkpoint reads as undefined', () => {
  const run = join(dir, 'files');
  assert.equal(readCheckpoint(run, 'last'), undefined);
  writeCheckpoint(run, 'last', sample(1));
  const back = readCheckpoint(run, 'last')!;
  assert.equal(back.epoch, 1);
  assert.deepEqual(back.arrays, sample(1).arrays);
  assert.deepEqual(back.state, { note: 'epoch 1', nan: 'NaN' }, 'store JSON: NaN as a string');
  assert.deepEqual(readdirSync(join(run, CHECKPOINTS_DIR)), ['last']);
});

test('files: a write killed at any point leaves a whole checkpoint to read', () => {
  const run = join(dir, 'killed');
  const root = join(run, CHECKPOINTS_DIR);
  writeCheckpoint(run, 'last', sample(1));
  // Killed while writing the temp folder: the slot is untouched, and the next write clears the leftover.
  mkdirSync(join(root, '.last.4242.deadbeef.tmp'));
  writeFileSync(join(root, '.last.4242.deadbeef.tmp', 'arrays.bin'), Buffer.alloc(7));
  assert.equal(readCheckpoint(run, 'last')!.epoch, 1);
  // Killed between its two renames: no `last`, the previous one as `last.old`.
  renameSync(join(root, 'last'), join(root, 'last.old'));
  assert.equal(readCheckpoint(run, 'last')!.epoch, 1, 'falls back to last.old');
  writeCheckpoint(run, 'last', sample(2));
  assert.deepEqual(readdirSync(root), ['last'], 'leftovers cleared');
  assert.equal(readCheckpoint(run, 'last')!.epoch, 2);
  // Killed after the second rename: both present, the new one wins.
  cpSync(join(root, 'last'), join(root, 'last.old'), { recursive: true });
  writeCheckpoint(run, 'last', sample(3));
  assert.equal(readCheckpoint(run, 'last')!.epoch, 3);
  assert.equal(existsSync(join(root, 'last.old')), false);
});

test('files: damaged arrays are caught by their SHA-256; the .old copy is used when there is one', () => {
  const run = join(dir, 'damaged');
  const root = join(run, CHECKPOINTS_DIR);
  writeCheckpoint(run, 'last', sample(1));
  cpSync(join(root, 'last'), join(root, 'last.old'), { recursive: true });
  writeFileSync(join(root, 'last', 'arrays.bin'), Buffer.alloc(28, 1));
  assert.equal(readCheckpoint(run, 'last')!.epoch, 1, 'from last.old');
  writeFileSync(join(root, 'last.old', 'checkpoint.json'), '{"format":"hone-checkpoint","vers');
  assert.throws(() => readCheckpoint(run, 'last'), /cannot be read: last: arrays\.bin is damaged .*; last\.old: .*JSON/);
});
