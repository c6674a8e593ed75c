// A contract suite over the attack registry (engine/robust/index.ts): every attack, at every norm it
// supports, returns examples exactly inside the eps ball and [0, 1], is reproducible by seed, frees every
// tensor (also when stopped mid-way), breaks a model whose points provably have adversarial examples, and
// leaves a real model (dropout, batch norm) exactly as it found it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ATTACK_INFO, ATTACK_NAMES } from '../../src/core/robust/catalog';
import { inBall } from '../../src/core/robust/ball';
import { createRng } from '../../src/core/rng';
import type { AttackSpec, Norm } from '../../src/core/spec/robust-types';
import { ATTACKS, apgd, fgsm, misclassified, pgd, runAsync, runSync, startAttack, type Logits } from '../../src/engine/robust';
import { networkLogits, savedModelLogits } from '../../src/engine/robust/classifier';
import { buildModel } from '../../src/engine/models';
import { brightnessModel, randomMlp } from '../helpers/robust';
import { useCpu } from '../helpers/engine';

before(useCpu);

const SHAPE: [number, number, number] = [6, 6, 1];
const D = 36;

/** Small settings of each attack: the contract does not depend on the budget. */
const SETTINGS: Record<string, AttackSpec> = {
  fgsm: { attack: 'fgsm' },
  pgd: { attack: 'pgd', steps: 8, restarts: 2, stepSize: 0.3, randomStart: true },
  'apgd-ce': { attack: 'apgd-ce', steps: 12, restarts: 2 },
  'apgd-dlr': { attack: 'apgd-dlr', steps: 12, restarts: 1 },
  square: { attack: 'square', queries: 60, pInit: 0.8 },
};

const CASES = ATTACK_NAMES.flatMap((name) => ATTACK_INFO[name].norms.map((norm) => ({ name, norm, s: SETTINGS[name] })));

/** n points in [0, 1] with a share of values exactly 0 and 1, so the box binds. */
function points(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * D }, () => {
    const r = rng.next();
    return r < 0.15 ? 0 : r > 0.85 ? 1 : Math.fround(rng.next());
  });
}

const run = (f: Logits, xs: Float32Array, y: Int32Array, eps: number, norm: Norm, s: AttackSpec, seed = 1) => {
  const [x, yt] = [tf.tensor(xs, [y.length, ...SHAPE]), tf.tensor1d(y, 'int32')];
  const adv = runSync(startAttack({ f, x, y: yt, eps, norm, seed }, s));
  const values = Float32Array.from(adv.dataSync() as Float32Array);
  const wrong = misclassified(f, adv, yt);
  tf.dispose([x, yt, adv]);
  return { values, wrong };
};

test('the registry covers every attack of the catalog, and the catalog names its norms', () => {
  assert.deepEqual(Object.keys(ATTACKS).sort(), [...ATTACK_NAMES].sort());
  assert.ok(CASES.length >= 8, CASES.map((c) => `${c.name}/${c.norm}`).join(' '));
});

for (const { name, norm, s } of CASES) {
  test(`${name} (${norm}): examples exactly inside the eps ball and [0, 1], reproducible by seed, no tensor left`, () => {
    const model = randomMlp(SHAPE, 4, 7);
    const xs = points(40, 8);
    const y = Int32Array.from({ length: 40 }, (_, i) => i % 4);
    for (const eps of norm === 'linf' ? [0.03, 0.3, 1] : [0.5, 2, 6]) {
      const before = tf.memory().numTensors;
      const a = run(model.f, xs, y, eps, norm, s);
      assert.equal(tf.memory().numTensors, before, `eps ${eps}: tensors before and after`);
      for (let i = 0; i < 40; i++) assert.ok(inBall(xs, a.values, i, D, eps, norm), `eps ${eps}, point ${i}`);
      const b = run(model.f, xs, y, eps, norm, s);
      assert.deepEqual(b.values, a.values, `eps ${eps}: the same seed gives the same examples`);
    }
    model.dispose();
  });

  test(`${name} (${norm}): stopped at a safe point, it frees everything`, async () => {
    const model = randomMlp(SHAPE, 4, 7);
    const [x, y] = [tf.tensor(points(20, 9), [20, ...SHAPE]), tf.tensor1d(Int32Array.from({ length: 20 }, (_, i) => i % 4), 'int32')];
    const before = tf.memory().numTensors;
    let ticks = 0;
    const stop = async () => {
      if (++ticks === 2) throw new Error('stop');
    };
    const out = await runAsync(startAttack({ f: model.f, x, y, eps: norm === 'linf' ? 0.05 : 0.5, norm, seed: 3 }, s), stop).catch((e: Error) => e);
    // An attack that ends before its second safe point (FGSM, or every point broken) returns its examples.
    if (out instanceof tf.Tensor) out.dispose();
    else assert.match(out.message, /stop/);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, y]);
    model.dispose();
  });
}

for (const name of ATTACK_NAMES.filter((n) => ATTACK_INFO[n].norms.includes('linf'))) {
  test(`${name} breaks every point of a model whose points provably have an adversarial example inside eps`, () => {
    const eps = 0.2;
    const m = brightnessModel(SHAPE, eps, 4);
    const xs = m.points(30);
    const y = new Int32Array(30);
    assert.ok(Array.from(misclassified(m.f, tf.tensor(xs, [30, ...SHAPE]), tf.tensor1d(y, 'int32'))).every((w) => w === 0), 'all classified 0');
    const s = name === 'square' ? { ...SETTINGS.square, queries: 300 } : SETTINGS[name];
    const { wrong } = run(m.f, xs, y, eps, 'linf', s);
    assert.deepEqual(Array.from(wrong), new Array(30).fill(1));
  });
}

test('PGD: success never decreases with steps or restarts (each run extends the one before, every iterate is checked)', () => {
  const model = randomMlp(SHAPE, 4, 11);
  const xs = points(60, 12);
  const y = Int32Array.from({ length: 60 }, (_, i) => (i * 7) % 4);
  for (const norm of ['linf', 'l2'] as const) {
    const eps = norm === 'linf' ? 0.04 : 0.3;
    let prev: Uint8Array = new Uint8Array(60);
    for (const [steps, restarts] of [[1, 1], [2, 1], [5, 1], [10, 1], [10, 2], [10, 4], [20, 4]]) {
      const { wrong } = run(model.f, xs, y, eps, norm, { attack: 'pgd', steps, restarts, stepSize: 0.25, randomStart: true });
      prev.forEach((w, i) => assert.ok(!w || wrong[i], `${norm}: point ${i} broken with fewer steps, not with ${steps} x ${restarts}`));
      prev = wrong;
    }
    assert.ok(prev.some((w) => !w) && prev.some(Boolean), `${norm}: both outcomes occur`);
  }
  model.dispose();
});

test('an iterative attack is at least as strong as FGSM: PGD whose first step is FGSM breaks every point FGSM breaks, and APGD breaks as many', () => {
  const model = randomMlp(SHAPE, 4, 13);
  const xs = points(80, 14);
  const yt = tf.tensor1d(Int32Array.from({ length: 80 }, (_, i) => (i * 3) % 4), 'int32');
  const x = tf.tensor(xs, [80, ...SHAPE]);
  const count = (a: tf.Tensor) => {
    const w = misclassified(model.f, a, yt);
    a.dispose();
    return w;
  };
  for (const eps of [0.02, 0.05, 0.1]) {
    const one = count(runSync(pgd(model.f, x, yt, fgsm(eps))));
    const many = count(runSync(pgd(model.f, x, yt, { ...fgsm(eps), steps: 10 })));
    one.forEach((w, i) => assert.ok(!w || many[i], `eps ${eps}: point ${i}`));
    const auto = count(runSync(apgd(model.f, x, yt, { eps, norm: 'linf', steps: 20, restarts: 1, loss: 'ce' }, 1)));
    const sum = (w: Uint8Array) => w.reduce((s, v) => s + v, 0);
    assert.ok(sum(auto) >= sum(one), `eps ${eps}: APGD ${sum(auto)} vs FGSM ${sum(one)}`);
  }
  tf.dispose([x, yt]);
  model.dispose();
});

test('attacks leave a real model as they found it: weights (batch-norm statistics too), trainable flags, inference mode', () => {
  const model = buildModel({ type: 'cnn', filters: [4], kernelSize: 3, pool: 2, dense: [8], activation: 'relu', dropout: 0.5, batchNorm: true }, { inputShape: [8, 8, 1], task: 'classification', classes: 10 }, 3, 0);
  const snapshot = () => model.weights.map((w) => ({ name: w.name, trainable: w.trainable, values: Array.from(w.read().dataSync()) }));
  const before = snapshot();
  const flags = model.layers.map((l) => l.trainable);
  const tensors = tf.memory().numTensors;
  const [a, b] = [tf.ones([1, 8, 8, 1]), tf.zeros([1, 8, 8, 1])];
  const classifiers: Logits[] = [networkLogits(model, a, b), savedModelLogits(model, { lo: 0, hi: 16, text: '' })];
  const xs = Float32Array.from({ length: 12 * 64 }, (_, i) => ((i * 37) % 17) / 16);
  const x = tf.tensor(xs, [12, 8, 8, 1]);
  const y = tf.tensor1d(Int32Array.from({ length: 12 }, (_, i) => i % 10), 'int32');
  for (const f of classifiers) {
    const [first, second] = tf.tidy(() => [f(x).dataSync(), f(x).dataSync()]);
    assert.deepEqual(first, second, 'inference mode: dropout off, the same logits twice');
    for (const name of ATTACK_NAMES) runSync(startAttack({ f, x, y, eps: 0.1, norm: 'linf', seed: 1 }, SETTINGS[name])).dispose();
  }
  tf.dispose([x, y, a, b]);
  assert.deepEqual(snapshot(), before);
  assert.deepEqual(model.layers.map((l) => l.trainable), flags);
  assert.equal(tf.memory().numTensors, tensors);
  model.dispose();
});
