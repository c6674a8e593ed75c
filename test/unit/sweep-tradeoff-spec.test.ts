// Trade-off sweeps' specs: objectives from any stage a trial runs (training, compress, robustness
// evaluation), each problem at its JSON path: a metric no stage records (with the list by stage), a
// direction the metric registry contradicts, a stopper that could never judge, compression and attack
// settings as parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { stageMetrics, validateSpec, type Spec } from '../../src/core/spec';
import { readJson, ROOT } from '../helpers/cli';

type Json = any;

const EXAMPLE = join(ROOT, 'examples/digits-tradeoff-sweep.hone.json');
const problemsOf = (change: (s: Json) => void) => {
  const spec = readJson(EXAMPLE);
  change(spec);
  return validateSpec(spec, { baseDir: ROOT }).problems.map(({ path, expected, found }) => ({ path, expected, found }));
};

test('the example: three objectives from three stages, sparsity, bits and lr as parameters, valid as written', () => {
  assert.deepEqual(problemsOf(() => {}), []);
  const { spec } = validateSpec(readJson(EXAMPLE), { baseDir: ROOT });
  assert.deepEqual(stageMetrics(spec!).map((s) => [s.stage, s.perEpoch]), [['training', true], ['compress', false], ['robustness.evaluate', false]]);
  const recorded = stageMetrics(spec!).flatMap((s) => s.metrics);
  for (const o of spec!.sweep!.objectives) assert.ok(recorded.includes(o.metric), o.metric);
});

test('the metrics of each stage follow the spec: latency only when measured, one eps_ name per eps, none when a parameter sets the eps', () => {
  const { spec } = validateSpec(readJson(EXAMPLE), { baseDir: ROOT });
  const s = spec as Spec;
  const of = (x: Spec, varied = false) => Object.fromEntries(stageMetrics(x, varied).map((m) => [m.stage, m.metrics]));
  const stages = stageMetrics(s);
  assert.deepEqual([stages[0].metrics, stages[0].droppedMetrics], [['val_loss', 'val_accuracy'], ['loss', 'accuracy']], 'a compressed trial\'s final holds its compressed model\'s val_ metrics only');
  assert.deepEqual(of({ ...s, compress: undefined }).training, ['loss', 'val_loss', 'accuracy', 'val_accuracy']);
  assert.ok(!of(s).compress.some((m: string) => m.startsWith('latency_')), 'latency.runs 0 measures no latency');
  assert.ok(of({ ...s, compress: { ...s.compress!, latency: { warmup: 1, runs: 3 } } }).compress.includes('latency_b1_ms'));
  assert.ok(!of(s).compress.some((m: string) => m.startsWith('test_')), 'test metrics are never objectives');
  const twoEps = { ...s, robustness: { evaluate: { ...s.robustness!.evaluate!, eps: [0.05, 0.1] } } };
  assert.deepEqual(of(twoEps)['robustness.evaluate'].filter((m: string) => m.startsWith('eps_')), ['eps_0.05/robust_accuracy', 'eps_0.1/robust_accuracy']);
  assert.deepEqual(of(twoEps, true)['robustness.evaluate'].filter((m: string) => m.startsWith('eps_')), []);
  assert.deepEqual(of({ ...s, compress: undefined, robustness: { ...s.robustness, train: { method: 'fast' } as never } }).training.at(-1), 'val_robust_accuracy');
});

const cases: [string, (s: Json) => void, { path: string; expected: RegExp; found: string }][] = [
  ['packed_bytes without a compress section', (s) => delete s.compress,
    { path: 'sweep.objectives[1].metric', expected: /^a metric the spec's stages record \(packed_bytes is recorded by a compress stage, which this spec has not: add a compress section\): training: loss, val_loss, accuracy, val_accuracy; robustness\.evaluate: robust_accuracy, robust_accuracy_low, robust_accuracy_high, clean_accuracy, eps_0\.05\/robust_accuracy, red_flags$/, found: '"packed_bytes"' }],
  ['robust accuracy without robustness.evaluate', (s) => delete s.robustness,
    { path: 'sweep.objectives[2].metric', expected: /^a metric the spec's stages record \(eps_0\.05\/robust_accuracy is recorded by a robustness\.evaluate stage, which this spec has not: add a robustness\.evaluate section\): training: .*; compress: params, params_nonzero, sparsity, .*packed_bytes, compression_ratio/, found: '"eps_0.05/robust_accuracy"' }],
  ['an eps the evaluation does not attack at', (s) => (s.sweep.objectives[2].metric = 'eps_0.5/robust_accuracy'),
    { path: 'sweep.objectives[2].metric', expected: /^a metric the spec's stages record \(did you mean 'eps_0\.05\/robust_accuracy'\?\): training: /, found: '"eps_0.5/robust_accuracy"' }],
  ['an eps_ objective while a parameter sets the eps', (s) => (s.sweep.parameters['robustness.evaluate.eps'] = { type: 'categorical', values: [0.05, 0.1] }),
    { path: 'sweep.objectives[2].metric', expected: /^a metric the spec's stages record \(a sweep parameter sets robustness\.evaluate\.eps, so eps_ names differ between trials: use robust_accuracy, at the first eps\)/, found: '"eps_0.05/robust_accuracy"' }],
  ['latency when compress.latency.runs is 0', (s) => (s.sweep.objectives[1].metric = 'latency_b1_ms'),
    { path: 'sweep.objectives[1].metric', expected: /^a metric the spec's stages record \(latency is measured only with compress\.latency\.runs > 0\): training: /, found: '"latency_b1_ms"' }],
  ['a test metric', (s) => (s.sweep.objectives[0].metric = 'test_accuracy'),
    { path: 'sweep.objectives[0].metric', expected: /^a metric the spec's stages record \(test metrics are never objectives: nothing is selected on the test split\)/, found: '"test_accuracy"' }],
  ['a training-only metric with a compress section', (s) => (s.sweep.objectives[0].metric = 'accuracy'),
    { path: 'sweep.objectives[0].metric', expected: /^a metric the spec's stages record \(accuracy is training's; a compressed trial's final metrics are its compressed model's\): training: val_loss, val_accuracy; compress: params, /, found: '"accuracy"' }],
  ['val_robust_accuracy with a compress section', (s) => {
    s.robustness.train = { method: 'fast', eps: 0.05 };
    s.sweep.objectives[0].metric = 'val_robust_accuracy';
  }, { path: 'sweep.objectives[0].metric', expected: /^a metric the spec's stages record \(val_robust_accuracy is training's; a compressed trial's final metrics are its compressed model's\): training: val_loss, val_accuracy; /, found: '"val_robust_accuracy"' }],
  ['maximize packed_bytes', (s) => (s.sweep.objectives[1].direction = 'maximize'),
    { path: 'sweep.objectives[1].direction', expected: /^"minimize": packed_bytes \(packed size, bytes\) is better lower$/, found: '"maximize"' }],
  ['minimize robust accuracy', (s) => (s.sweep.objectives[2].direction = 'minimize'),
    { path: 'sweep.objectives[2].direction', expected: /^"maximize": eps_0\.05\/robust_accuracy \(eps_0\.05 robust accuracy, fraction\) is better higher$/, found: '"minimize"' }],
  ['a stopper with objectives known only at the end', (s) => (s.sweep.stopper = { type: 'asha' }),
    { path: 'sweep.stopper.type', expected: /^"none": packed_bytes \(compress\), eps_0\.05\/robust_accuracy \(robustness\.evaluate\) are recorded only when a trial's last stage ends, so a stopper cannot judge trials by them$/, found: '"asha"' }],
  ['a bit width Hone does not quantize to', (s) => (s.sweep.parameters['compress.quantize.bits'].values = [4, 9]),
    { path: 'sweep.parameters["compress.quantize.bits"].values[1]', expected: /^a value valid at compress\.quantize\.bits: one of: 2, 3, 4, 5, 6, 7, 8, 16$/, found: '9' }],
  ['a sparsity of 1', (s) => (s.sweep.parameters['compress.prune.sparsity'].max = 1),
    { path: 'sweep.parameters["compress.prune.sparsity"].max', expected: /^a value valid at compress\.prune\.sparsity: a number < 1$/, found: '1' }],
  ['a negative eps of adversarial training', (s) => {
    s.robustness.train = { method: 'fast', eps: 0.05 };
    s.sweep.parameters['robustness.train.eps'] = { type: 'float', min: -0.05, max: 0.1 };
  }, { path: 'sweep.parameters["robustness.train.eps"].min', expected: /^a value valid at robustness\.train\.eps: a number > 0$/, found: '-0.05' }],
];

for (const [name, change, want] of cases) {
  test(`trade-off sweep problem: ${name} -> ${want.path} only`, () => {
    const problems = problemsOf(change);
    assert.deepEqual(problems.map((p) => p.path), [want.path], JSON.stringify(problems));
    assert.match(problems[0].expected, want.expected);
    assert.equal(problems[0].found, want.found);
  });
}

test('valid trade-off sweeps: a stopper over training objectives alone, adversarial training eps and the evaluated eps as parameters', () => {
  assert.deepEqual(problemsOf((s) => {
    s.sweep.objectives = [{ metric: 'val_accuracy', direction: 'maximize' }];
    s.sweep.stopper = { type: 'median' };
  }), []);
  assert.deepEqual(problemsOf((s) => {
    s.robustness.train = { method: 'fast', eps: 0.05 };
    s.sweep.parameters['robustness.train.eps'] = { type: 'float', min: 0.01, max: 0.1 };
    s.sweep.parameters['robustness.evaluate.eps'] = { type: 'categorical', values: [0.05, 0.1] };
    s.sweep.objectives = [{ metric: 'val_accuracy', direction: 'maximize' }, { metric: 'compression_ratio', direction: 'maximize' }, { metric: 'robust_accuracy', direction: 'maximize' }];
  }), []);
  assert.deepEqual(problemsOf((s) => {
    delete s.compress;
    s.robustness.train = { method: 'pgd', eps: 0.05 };
    s.sweep.parameters = { 'robustness.train.eps': { type: 'float', min: 0.01, max: 0.1 } };
    s.sweep.objectives = [{ metric: 'val_robust_accuracy', direction: 'maximize' }, { metric: 'robust_accuracy', direction: 'maximize' }];
  }), [], 'without compression, adversarial training\'s val_robust_accuracy is a final metric');
});

test('a problem inside a parameter hides no objective problem: both are reported', () => {
  const problems = problemsOf((s) => {
    s.sweep.parameters['train.lr'].min = 'fast';
    s.sweep.objectives[1].metric = 'packed_byte';
  });
  assert.deepEqual(problems.map((p) => p.path), ['sweep.parameters["train.lr"].min', 'sweep.objectives[1].metric']);
});
