// Robustness metrics rank only under one evaluation: the pure conditions (core/robust/condition.ts), and
// `hone compare` of evaluations written with the store API: `--eps 0.05,0.1` against `--eps 0.1,0.05`
// (robust_accuracy at another headline eps) and against a run with fewer attacks (red_flags, every row at
// an eps) is not starred, says why, and names the headline eps; rows measured alike are starred as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { comparable, describeEvaluation, headlineEps, labelled, metricCondition } from '../../src/core/robust/condition';
import { completedRun } from '../helpers/store-fixtures';
import { digitsSpec, hone } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const ATTACKS = [{ attack: 'apgd-ce', steps: 100, restarts: 1 }, { attack: 'square', queries: 5000, pInit: 0.8 }];
const spec = (eps: number[], attacks: unknown[] = ATTACKS) => ({ ...digitsSpec('m'), robustness: { evaluate: { eps, norm: 'linf', attacks, points: 200, batch: 500, checks: true } } });
/** An evaluate run in `store` with spec `s`, completed with `final`; its id. */
const evaluated = (store: string, name: string, s: unknown, final: Record<string, number>): string =>
  completedRun(store, { name, kind: 'evaluate', spec: s as never, epochsDone: 1, final, best: final }).record.id;

test('conditions: the headline eps, the eps up to a value, the norm and the attacks; other metrics have none', () => {
  const [a, b, fewer] = [spec([0.05, 0.1]), spec([0.1, 0.05]), spec([0.05, 0.1], ATTACKS.slice(0, 1))];
  assert.equal(comparable('robust_accuracy', [a, b]), false, 'robust_accuracy at 0.05 against at 0.1');
  assert.equal(comparable('apgd-ce/attack_success', [a, b]), false);
  assert.equal(comparable('robust_accuracy', [a, spec([0.05, 0.3])]), true, 'the same headline, larger eps after it do not change it');
  assert.equal(comparable('eps_0.1/robust_accuracy', [a, b]), true, 'the same eps, the same smaller eps');
  assert.equal(comparable('eps_0.1/robust_accuracy', [a, spec([0.1])]), false, 'points broken at 0.05 count at 0.1');
  assert.equal(comparable('red_flags', [a, b]), true);
  assert.equal(comparable('red_flags', [a, fewer]), false, 'fewer attacks, fewer chances to raise a flag');
  assert.equal(comparable('eps_0.05/robust_accuracy', [a, { ...a, robustness: { evaluate: { ...a.robustness.evaluate, norm: 'l2' } } }]), false);
  assert.equal(metricCondition('test_accuracy', a), undefined);
  assert.equal(comparable('test_accuracy', [a, digitsSpec('x')]), true);
  assert.equal(metricCondition('red_flags', digitsSpec('x')), 'none', 'a flag of adversarial training alone');
  assert.equal(comparable('red_flags', [a, digitsSpec('x')]), false);
  assert.equal(headlineEps('robust_accuracy_low', b), 0.1);
  assert.equal(headlineEps('eps_0.05/robust_accuracy', b), undefined);
  assert.equal(labelled('robust_accuracy', b), 'robust_accuracy (eps 0.1)');
  assert.equal(labelled('robust_accuracy', digitsSpec('x')), 'robust_accuracy');
  assert.equal(describeEvaluation(b.robustness.evaluate as never), 'eps 0.1 (headline), 0.05; linf; 200 points; apgd-ce, square');
});

test('hone compare does not star robust metrics measured under different evaluations, and names the headline eps', () => {
  const dir = makeTmpDir();
  try {
    const store = join(dir, 'store');
    const add = (name: string, s: unknown, final: Record<string, number>) => evaluated(store, name, s, final);
    const a = add('a', spec([0.05, 0.1]), { robust_accuracy: 0.83, 'eps_0.05/robust_accuracy': 0.83, 'eps_0.1/robust_accuracy': 0.45, red_flags: 1, clean_accuracy: 0.97 });
    const b = add('b', spec([0.1, 0.05]), { robust_accuracy: 0.5, 'eps_0.05/robust_accuracy': 0.84, 'eps_0.1/robust_accuracy': 0.5, red_flags: 2, clean_accuracy: 0.96 });
    const c = add('c', spec([0.05, 0.1], ATTACKS.slice(0, 1)), { robust_accuracy: 0.9, 'eps_0.05/robust_accuracy': 0.9, 'eps_0.1/robust_accuracy': 0.6, red_flags: 0, clean_accuracy: 0.96 });
    const row = (out: string, m: string) => out.split('\n').find((l) => l.startsWith(`${m} `)) ?? '';

    const two = hone(['compare', a, b, '--store', store]);
    assert.equal(two.code, 0, two.stderr);
    assert.match(row(two.stdout, 'robust_accuracy'), /^robust_accuracy \(max\) \u2020 +0\.8300 \(eps 0\.05\) +0\.5000 \(eps 0\.1\)$/);
    assert.match(row(two.stdout, 'eps_0.1/robust_accuracy'), /^eps_0\.1\/robust_accuracy \(max\) +0\.4500 +0\.5000 \*$/, 'one eps, measured alike: starred');
    assert.match(row(two.stdout, 'red_flags'), /\*/, 'the same eps and attacks: starred');
    assert.match(two.stdout, /\nrobustness +eps 0\.05 \(headline\), 0\.1; linf; 200 points; apgd-ce, square +eps 0\.1 \(headline\), 0\.05; linf/);
    assert.match(two.stdout, /\n\u2020 not marked: the runs measured it on different data \(the data section of their specs, or the seed that generated or split it: data.seed, else the run.s seed\) or under different robustness evaluations/);
    assert.deepEqual(JSON.parse(hone(['compare', a, b, '--store', store, '--json']).stdout).notComparable, ['robust_accuracy']);

    const fewer = hone(['compare', a, c, '--store', store]);
    assert.match(row(fewer.stdout, 'robust_accuracy (eps 0.05)'), /^robust_accuracy \(eps 0\.05\) \(max\) \u2020 +0\.8300 +0\.9000$/, 'another attack set: not starred');
    assert.match(row(fewer.stdout, 'red_flags'), /^red_flags \(min\) \u2020 +1 +0$/, 'fewer attacks raise fewer flags: not starred');
    assert.match(row(fewer.stdout, 'clean_accuracy'), /\*/, 'clean accuracy on the same points ranks, whatever the attacks');
  } finally {
    removeTmpDir(dir);
  }
});

test('values of evaluations on different test points do not rank: hone compare stars none, hone report draws no front', () => {
  // `--points 100` and `--points 200` evaluate the first 100 and the first 200 test points: two test sets.
  const at = (points: number) => ({ ...spec([0.05]), robustness: { evaluate: { ...spec([0.05]).robustness.evaluate, points } } });
  assert.equal(comparable('robust_accuracy', [at(100), at(200)]), false);
  assert.equal(comparable('eps_0.05/robust_accuracy', [at(100), at(200)]), false);
  assert.equal(comparable('apgd-ce/attack_success', [at(100), at(200)]), false);
  assert.equal(comparable('clean_accuracy', [at(100), at(200)]), false, 'clean accuracy on the points evaluated');
  assert.equal(comparable('clean_accuracy', [at(200), spec([0.1, 0.05])]), true, 'the same points, whatever the eps');
  const dir = makeTmpDir();
  try {
    const store = join(dir, 'store');
    const add = (name: string, s: unknown, final: Record<string, number>) => evaluated(store, name, s, final);
    const small = add('on 100', at(100), { robust_accuracy: 0.8, 'eps_0.05/robust_accuracy': 0.8, clean_accuracy: 0.92, tfjs_bytes: 71410 });
    const large = add('on 200', at(200), { robust_accuracy: 0.845, 'eps_0.05/robust_accuracy': 0.845, clean_accuracy: 0.925, tfjs_bytes: 71410 });
    const out = hone(['compare', small, large, '--store', store]);
    assert.equal(out.code, 0, out.stderr);
    const row = (m: string) => out.stdout.split('\n').find((l) => l.startsWith(`${m} `)) ?? '';
    for (const m of ['robust_accuracy (eps 0.05)', 'eps_0.05/robust_accuracy', 'clean_accuracy']) {
      assert.match(row(m), /\u2020/, `${m}: marked as measured apart`);
      assert.doesNotMatch(row(m), /\*/, `${m}: not starred`);
    }
    assert.match(out.stdout, /\n\u2020 not marked: the runs measured it on different data \(the data section of their specs, or the seed that generated or split it: data.seed, else the run.s seed\) or under different robustness evaluations \(test points, /);
    const report = hone(['report', small, large, '--store', store, '--out', join(dir, 'report.html')]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /no front: clean_accuracy was measured under 2 different robustness evaluations/);
  } finally {
    removeTmpDir(dir);
  }
});
