// Known answers for the learning-rate schedules at given steps, in closed form: StepLR's lr gamma^floor(epoch /
// step), linear warmup then cosine annealing (Loshchilov & Hutter 2017, arXiv:1608.03983, no restarts), and
// OneCycleLR as torch.optim.lr_scheduler computes it (two phases, cosine annealing, the first ending at the
// fractional step pct_start * total - 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Schedule } from '../../src/core/spec/types';
import { learningRateAt } from '../../src/engine/train/schedule';

const at = (s: Schedule, step: number, stepsPerEpoch: number, totalSteps: number, lr = 1) => learningRateAt(lr, s, { step, stepsPerEpoch, totalSteps });
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('constant: lr at every step', () => {
  for (const step of [0, 7, 99]) assert.equal(at({ type: 'constant' }, step, 10, 100, 0.03), 0.03);
});

test('step: lr gamma^floor(epoch / stepEpochs), the epoch being step / stepsPerEpoch rounded down', () => {
  const s: Schedule = { type: 'step', stepEpochs: 2, gamma: 0.5 };
  const expected: [number, number][] = [[0, 0.2], [19, 0.2], [20, 0.1], [39, 0.1], [40, 0.05], [65, 0.025]];
  for (const [step, lr] of expected) near(at(s, step, 10, 100, 0.2), lr, `step ${step}`);
});

test('cosine: linear warmup to lr over warmupEpochs, then cosine from lr to minLr over the remaining steps', () => {
  const s: Schedule = { type: 'cosine', warmupEpochs: 1, minLr: 0.1 };
  // 4 steps per epoch, 12 steps: warmup steps 0..3 reach lr at step 3; cosine over 8 steps from step 4.
  const cos = (k: number) => 0.1 + 0.9 * (1 + Math.cos((Math.PI * k) / 8)) / 2;
  const expected: [number, number][] = [[0, 0.25], [1, 0.5], [2, 0.75], [3, 1], [4, 1], [6, cos(2)], [8, 0.55], [11, cos(7)]];
  for (const [step, lr] of expected) near(at(s, step, 4, 12), lr, `step ${step}`);
  assert.ok(at(s, 11, 4, 12) > 0.1 && at(s, 11, 4, 12) < at(s, 10, 4, 12), 'decreasing towards minLr');
  // Without warmup it starts at lr.
  near(at({ type: 'cosine', warmupEpochs: 0, minLr: 0 }, 0, 4, 12), 1, 'no warmup, step 0');
  near(at({ type: 'cosine', warmupEpochs: 0, minLr: 0 }, 6, 4, 12), 0.5, 'no warmup, halfway');
});

/** torch.optim.lr_scheduler.OneCycleLR.get_lr (three_phase=False, anneal_strategy='cos'), transcribed. */
function torchOneCycle(maxLr: number, total: number, pctStart: number, divFactor: number, finalDivFactor: number, step: number): number {
  const initial = maxLr / divFactor;
  const phases = [
    { end: pctStart * total - 1, from: initial, to: maxLr },
    { end: total - 1, from: maxLr, to: initial / finalDivFactor },
  ];
  const anneal = (from: number, to: number, pct: number) => to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1);
  let start = 0;
  for (let i = 0; i < phases.length; i++) {
    const p = phases[i];
    if (step <= p.end || i === phases.length - 1) return anneal(p.from, p.to, (step - start) / (p.end - start));
    start = p.end;
  }
  throw new Error('unreachable');
}

test('onecycle: lr/divFactor at step 0, lr at the end of phase one, lr/(divFactor finalDivFactor) at the last step', () => {
  const s: Schedule = { type: 'onecycle', pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 };
  near(at(s, 0, 10, 100, 0.5), 0.02, 'step 0');
  near(at(s, 29, 10, 100, 0.5), 0.5, 'step 29 = 0.3 * 100 - 1');
  near(at(s, 64, 10, 100, 0.5), (0.5 + 0.02 / 1e4) / 2, 'halfway down: (64 - 29) / (99 - 29) = 0.5');
  near(at(s, 99, 10, 100, 0.5), 0.02 / 1e4, 'last step');
});

test('onecycle equals PyTorch OneCycleLR at every step, also where pctStart * total is not a whole step', () => {
  const cases: [number, number, number, number][] = [[100, 0.3, 25, 1e4], [10, 0.25, 25, 1e4], [37, 0.3, 10, 100], [7, 0.45, 4, 10], [5, 0.5, 25, 1e4]];
  for (const [total, pctStart, divFactor, finalDivFactor] of cases) {
    const s: Schedule = { type: 'onecycle', pctStart, divFactor, finalDivFactor };
    for (let step = 0; step < total; step++) {
      near(at(s, step, total, total, 0.1), torchOneCycle(0.1, total, pctStart, divFactor, finalDivFactor, step), `total ${total} pctStart ${pctStart} step ${step}`);
    }
  }
});

test('onecycle stays finite where PyTorch would divide by zero (pctStart * total <= 1) and on a single step', () => {
  for (const [total, pctStart] of [[2, 0.5], [3, 0.2], [1, 0.3]]) {
    const s: Schedule = { type: 'onecycle', pctStart, divFactor: 25, finalDivFactor: 1e4 };
    for (let step = 0; step < total; step++) {
      const lr = at(s, step, total, total);
      assert.ok(Number.isFinite(lr) && lr > 0 && lr <= 1, `total ${total} pctStart ${pctStart} step ${step}: ${lr}`);
    }
  }
});
