// The pure pieces of robustness: exact eps balls in float32, Clopper-Pearson intervals, red-flag rules,
// the catastrophic-overfitting guard, metric names, the attack space, and spec validation with JSON paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binomialCdf, clopperPearson } from '../../src/core/robust/ci';
import { inBall, linfBounds, projectL2, rowDistance } from '../../src/core/robust/ball';
import { collapseFlag, redFlags, watchCollapse } from '../../src/core/robust/flags';
import { robustMetrics } from '../../src/core/robust/metrics';
import { inputRange, networkMap } from '../../src/core/robust/space';
import type { EpsResult, RobustReport } from '../../src/core/robust/report';
import { metricInfo } from '../../src/core/metrics';
import { createRng } from '../../src/core/rng';
import { validateSpec } from '../../src/core/spec';
import { validateFilledSpec } from '../../src/core/spec/validate';

test('Clopper-Pearson: known intervals (0/10, 5/10, 10/10, 50/100) and coverage by construction', () => {
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-4, `${a} vs ${b}`);
  const [lo0, hi0] = clopperPearson(0, 10);
  assert.equal(lo0, 0);
  close(hi0, 1 - 0.025 ** (1 / 10)); // 0.30850
  const [lo5, hi5] = clopperPearson(5, 10);
  close(lo5, 0.18709);
  close(hi5, 0.81291);
  assert.deepEqual(clopperPearson(10, 10).map((v) => Number(v.toFixed(4))), [0.6915, 1]);
  const [lo, hi] = clopperPearson(50, 100);
  close(lo, 0.39832);
  close(hi, 0.60168);
  // The bounds solve the tail equations they are defined by.
  close(1 - binomialCdf(886 - 1, 1000, clopperPearson(886, 1000)[0]), 0.025);
  close(binomialCdf(886, 1000, clopperPearson(886, 1000)[1]), 0.025);
});

test('linf bounds are exact in float32: every value between them is within eps of x and inside [0, 1]', () => {
  const rng = createRng(1);
  const x = Float32Array.from({ length: 20000 }, (_, i) => (i % 50 === 0 ? 0 : i % 50 === 1 ? 1 : Math.fround(rng.next())));
  for (const eps of [0.3, 0.1, 1 / 255, 8 / 255, 1e-9, 1]) {
    const { lo, hi } = linfBounds(x, eps);
    for (let i = 0; i < x.length; i++) {
      assert.ok(lo[i] <= x[i] && x[i] <= hi[i] && lo[i] >= 0 && hi[i] <= 1, `x itself is inside (eps ${eps})`);
      assert.ok(Math.abs(lo[i] - x[i]) <= eps && Math.abs(hi[i] - x[i]) <= eps, `eps ${eps}: [${lo[i]}, ${hi[i]}] around ${x[i]}`);
      // Tight: the next float32 outward is outside the ball or the box.
      const out = new Float32Array([hi[i]]);
      new Uint32Array(out.buffer)[0] += 1;
      if (hi[i] < 1 && hi[i] > 0) assert.ok(out[0] - x[i] > eps || out[0] > 1, `hi is the largest float32 inside (eps ${eps}, x ${x[i]})`);
    }
  }
});

test('projectL2 makes every row exactly inside the l2 ball and [0, 1], and keeps rows already inside', () => {
  const rng = createRng(2);
  const [n, d] = [200, 784];
  const x = Float32Array.from({ length: n * d }, () => Math.fround(rng.next()));
  for (const eps of [0.5, 2, 1e-3]) {
    const a = Float32Array.from(x, (v, j) => v + (j % 7 === 0 ? NaN : (rng.next() - 0.5) * (j < d ? 0 : 1)));
    const inside = Array.from({ length: n }, (_, i) => inBall(x, a, i, d, eps, 'l2'));
    const kept = a.slice();
    projectL2(x, a, n, d, eps);
    for (let i = 0; i < n; i++) {
      assert.ok(inBall(x, a, i, d, eps, 'l2'), `row ${i} at eps ${eps}: distance ${rowDistance(x, a, i, d, 'l2')}`);
      if (inside[i]) assert.deepEqual(a.subarray(i * d, (i + 1) * d), kept.subarray(i * d, (i + 1) * d));
    }
  }
});

const tally = (name: string, box: 'white' | 'black', ran: number, broke: number, invalid = 0) => ({ name, settings: name, box, ran, broke, invalid, ms: 0 });
const result = (eps: number, alone: number, attacks = [tally('apgd-ce', 'white', 100, 10)]): EpsResult => ({ eps, robust: alone, robustAccuracy: alone / 100, ci: [0, 1], alone, attacks });

test('red flags: each rule fires on the numbers that call for it, and only then', () => {
  const ids = (...a: Parameters<typeof redFlags>) => redFlags(...a).map((f) => f.id);
  assert.deepEqual(ids([result(0.1, 80), result(0.3, 50)], 100, { zeroGradient: 0, vanishingGradient: 0, checked: 100, randomized: false, largeEps: { eps: 1, points: 100, robust: 0 } }), []);
  assert.deepEqual(ids([result(0.1, 50), result(0.3, 60)], 100), ['not-monotone-in-eps']);
  assert.deepEqual(ids([result(0.3, 50, [tally('apgd-ce', 'white', 90, 30), tally('square', 'black', 60, 5)])], 1000), ['black-box-beats-white-box']);
  assert.deepEqual(ids([result(0.3, 50, [tally('apgd-ce', 'white', 90, 30), tally('square', 'black', 60, 2)])], 1000), [], 'up to 0.2% of the points, as AutoAttack');
  assert.deepEqual(ids([result(0.3, 50, [tally('square', 'black', 90, 30)])], 100), [], 'a black-box attack alone beats nothing');
  assert.deepEqual(ids([result(0.3, 50, [tally('pgd', 'white', 90, 30, 2)])], 100), ['invalid-examples']);
  assert.deepEqual(ids([], 100, { zeroGradient: 1, vanishingGradient: 60, checked: 100, randomized: true, largeEps: { eps: 1, points: 100, robust: 2 } }),
    ['zero-gradients', 'vanishing-gradients', 'randomized-forward', 'large-eps-not-broken']);
  assert.deepEqual(ids([], 100, { zeroGradient: 0, vanishingGradient: 49, checked: 100, randomized: false, largeEps: { eps: 1, points: 100, robust: 1 } }), []);
});

test('catastrophic-overfitting guard: a fall of more than collapseDrop below the best is flagged once, with where it came from', () => {
  let w = { best: -Infinity, bestEpoch: 0 } as ReturnType<typeof watchCollapse>;
  for (const [epoch, v] of [[1, 0.5], [2, 0.8], [3, 0.65], [4, 0.55], [5, 0.1], [6, 0.9]] as const) w = watchCollapse(w, epoch, v, 0.2);
  assert.deepEqual(w.collapse, { epoch: 4, best: 0.8, bestEpoch: 2, value: 0.55 });
  assert.equal(w.best, 0.9);
  assert.match(collapseFlag(w.collapse!).message, /epoch 4: val_robust_accuracy fell to 0\.5500 from 0\.8000 \(epoch 2\)/);
});

test('metrics: stable names with registered directions, per eps and per attack', () => {
  const report: RobustReport = {
    norm: 'linf', space: 's', points: 100, correct: 98, headline: 0.3, flags: [{ id: 'zero-gradients', message: '' }], ms: 1,
    perEps: [result(0.1, 80), { ...result(0.3, 50, [tally('apgd-ce', 'white', 98, 40), tally('square', 'black', 58, 8)]), ci: [0.4, 0.6] }],
  };
  const m = robustMetrics(report);
  assert.deepEqual(m, {
    clean_accuracy: 0.98, robust_accuracy: 0.5, robust_accuracy_low: 0.4, robust_accuracy_high: 0.6, 'eps_0.1/robust_accuracy': 0.8,
    'eps_0.3/robust_accuracy': 0.5, 'apgd-ce/attack_success': 40 / 98, 'square/attack_success': 8 / 58, red_flags: 1, eval_points: 100,
  });
  assert.equal(metricInfo('robust_accuracy')?.better, 'max');
  assert.equal(metricInfo('val_robust_accuracy')?.label, 'val robust accuracy');
  assert.equal(metricInfo('eps_0.3/robust_accuracy')?.better, 'max');
  assert.equal(metricInfo('apgd-ce/attack_success')?.better, 'min');
  assert.equal(metricInfo('red_flags')?.better, 'min');
  assert.equal(metricInfo('clean_accuracy')?.better, 'max');
});

test('attack space: [0, 1] is pixels / 255 for MNIST and / 16 for digits; with scale normalisation the map to the network is the identity', () => {
  assert.deepEqual([inputRange({ source: 'mnist' })?.hi, inputRange({ source: 'digits' })?.hi, inputRange({ source: 'csv' })], [255, 16, undefined]);
  const m = networkMap(inputRange({ source: 'mnist' })!, [0, 0], [255, 255]);
  assert.deepEqual([...m.a, ...m.b], [1, 1, 0, 0]);
  const s = networkMap(inputRange({ source: 'digits' })!, [4], [2]);
  assert.deepEqual([s.a[0], s.b[0]], [8, -2], 'u = 0.5 is raw 8, standardised (8 - 4) / 2 = 2 = 8 * 0.5 - 2');
});

const digits = { name: 'r', data: { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 } }, model: { type: 'mlp', layers: [8] } };
const problems = (spec: object) => validateSpec(spec, { baseDir: process.cwd() }).problems.map((p) => `${p.path}: expected ${p.expected}, found ${p.found}`);

test('spec: robustness defaults are filled, derived step sizes included', () => {
  const v = validateSpec({ ...digits, robustness: { evaluate: { eps: 0.3, attacks: [{ attack: 'pgd', steps: 10 }] }, train: { method: 'fast', eps: 0.3 } } }, { baseDir: process.cwd() });
  assert.deepEqual(v.problems, []);
  assert.deepEqual(v.spec!.robustness!.evaluate, { eps: 0.3, norm: 'linf', attacks: [{ attack: 'pgd', steps: 10, restarts: 1, randomStart: true, stepSize: 0.25 }], points: 1000, batch: 500, checks: true });
  assert.equal(v.spec!.robustness!.train!.alpha, 0.375);
  // Filled within the schema's own bound (1), so the filled spec validates again (a queue job re-checks it).
  const big = validateSpec({ ...digits, robustness: { train: { method: 'fast', eps: 0.9 } } }, { baseDir: process.cwd() });
  assert.equal(big.spec!.robustness!.train!.alpha, 1);
  assert.deepEqual(validateFilledSpec(big.spec).problems, []);
  const d = validateSpec({ ...digits, robustness: { evaluate: { eps: 0.3 } } }, { baseDir: process.cwd() }).spec!.robustness!.evaluate!;
  assert.deepEqual(d.attacks.map((a) => a.attack), ['apgd-ce', 'apgd-dlr', 'square']);
  const l2 = validateSpec({ ...digits, robustness: { evaluate: { eps: 1, norm: 'l2' } } }, { baseDir: process.cwd() }).spec!.robustness!.evaluate!;
  assert.deepEqual(l2.attacks.map((a) => a.attack), ['apgd-ce', 'apgd-dlr'], 'Square is linf only: the default l2 ensemble leaves it out');
});

test('spec: bad robustness input is reported at its JSON path', () => {
  const cases: [object, RegExp][] = [
    [{ evaluate: { eps: -0.1 } }, /^robustness\.evaluate\.eps: expected a number > 0/],
    [{ evaluate: { eps: [0.1, -1] } }, /^robustness\.evaluate\.eps\[1\]: expected a number > 0/],
    [{ evaluate: { eps: 1.5 } }, /^robustness\.evaluate\.eps: expected an eps of at most 1 \(linf/],
    [{ evaluate: { eps: 9, norm: 'l2' } }, /^robustness\.evaluate\.eps: expected an eps of at most 8 \(l2/],
    [{ evaluate: { eps: 0.3, attacks: [{ attack: 'pgd', steps: 0 }] } }, /^robustness\.evaluate\.attacks\[0\]\.steps: expected an integer >= 1/],
    [{ evaluate: { eps: 0.3, attacks: [{ attack: 'cw' }] } }, /^robustness\.evaluate\.attacks\[0\]\.attack: expected one of: fgsm, pgd, apgd-ce, apgd-dlr, square/],
    [{ evaluate: { eps: 0.3, norm: 'l2', attacks: [{ attack: 'pgd' }, { attack: 'square' }] } }, /^robustness\.evaluate\.attacks\[1\]\.attack: expected an attack that supports norm l2/],
    [{ evaluate: { eps: 0.3, norm: 'l1' } }, /^robustness\.evaluate\.norm: expected one of: linf, l2/],
    [{ train: { method: 'fast', eps: 0.3, beta: 1 } }, /^robustness\.train\.beta: expected no beta with method fast/],
    [{ train: { method: 'pgd', eps: 0 } }, /^robustness\.train\.eps: expected a number > 0/],
    [{ evaluate: { eps: 0.3, attacks: [{ attack: 'fgsm' }, { attack: 'pgd', restarts: 5, randomStart: false }] } }, /^robustness\.evaluate\.attacks\[1\]\.restarts: expected restarts 1 with randomStart false/],
  ];
  for (const [robustness, want] of cases) {
    const found = problems({ ...digits, robustness });
    assert.ok(found.some((p) => want.test(p)), `${JSON.stringify(robustness)}: ${found.join('; ')}`);
  }
  assert.match(problems({ name: 'r', data: { source: 'regression', samples: 50, features: 2 }, model: { type: 'linear' }, robustness: { evaluate: { eps: 0.1 } } })[0], /^robustness: expected a classifier of image data .* \(a regression task: there is no class to flip\)/);
  // The test part it attacks: digits cut it from data.split; MNIST's is its own file, whatever the split says.
  assert.deepEqual(problems({ ...digits, data: { source: 'digits', split: { train: 0.8, val: 0.2, test: 0 } }, robustness: { evaluate: { eps: 0.1 } } }),
    ['robustness.evaluate: expected a test split (data.split.test > 0): the evaluation attacks the first `points` test samples, found data.split.test = 0']);
  assert.deepEqual(problems({ ...digits, data: { source: 'mnist', split: { train: 0.9, val: 0.1, test: 0 } }, robustness: { evaluate: { eps: 0.1 } } }), []);
  assert.match(problems({ ...digits, train: { earlyStopping: { metric: 'val_loss' } }, robustness: { train: { method: 'fast', eps: 0.1 } } })[0], /^train\.earlyStopping: expected no earlyStopping while robustness\.train\.keepBest/);
  assert.deepEqual(problems({ ...digits, train: { earlyStopping: { metric: 'val_robust_accuracy' } }, robustness: { train: { method: 'fast', eps: 0.1, keepBest: false } } }), []);
  assert.match(problems({ ...digits, train: { earlyStopping: { metric: 'val_robust_accuracy' } } })[0], /^train\.earlyStopping\.metric/, 'val_robust_accuracy needs robustness.train');
  assert.deepEqual(problems({ ...digits, robustness: { evaluate: { eps: 0.1 } }, sweep: { parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1 } }, objectives: [{ metric: 'robust_accuracy', direction: 'maximize' }], trials: 2 } }), []);
});
