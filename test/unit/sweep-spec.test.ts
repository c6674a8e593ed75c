// The spec's sweep section: defaults, and problems named by their JSON path, including values that a
// sweep could set but the spec would reject.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trialSpec, validateSpec, type Spec } from '../../src/core/spec';
import { BASE_DIR, DIGITS } from '../fixtures/malformed-specs';

type Json = any;

const SWEEP: Json = {
  parameters: {
    'train.lr': { type: 'float', min: 0.001, max: 0.1, log: true },
    'train.optimizer': { type: 'categorical', values: ['adam', 'momentum'] },
    'train.momentum': { type: 'float', min: 0.5, max: 0.95, when: { parameter: 'train.optimizer', in: ['momentum'] } },
    'model.layers': { type: 'categorical', values: [[32], [64, 32]] },
    'train.batchSize': { type: 'int', min: 16, max: 128, log: true },
  },
  objectives: [{ metric: 'val_accuracy', direction: 'maximize' }],
  trials: 20,
};

const withSweep = (change: (s: Json) => void = () => {}): Json => {
  const spec = structuredClone({ ...DIGITS, sweep: SWEEP });
  change(spec);
  return spec;
};
const problemsOf = (raw: Json) => validateSpec(raw, { baseDir: BASE_DIR }).problems.map(({ path, expected, found }) => ({ path, expected, found }));

test('a valid sweep gets its defaults: the auto sampler, no stopper, one worker per core, seed 0', () => {
  const { spec, problems } = validateSpec(withSweep(), { baseDir: BASE_DIR });
  assert.deepEqual(problems, []);
  const sweep = (spec as Spec).sweep!;
  assert.deepEqual(sweep.sampler, { type: 'auto' });
  assert.deepEqual(sweep.stopper, { type: 'none' });
  assert.deepEqual([sweep.parallel, sweep.seed, sweep.parameters['train.lr'].type], [0, 0, 'float']);
  // The momentum parameter is only ever set together with optimizer momentum, so the spec check that
  // rejects momentum with adam does not fire, although the base spec trains with adam.
  assert.equal((spec as Spec).train.optimizer, 'adam');
});

const cases: [string, (s: Json) => void, { path: string; expected: RegExp; found?: string }][] = [
  ['a misspelt path', (s) => (s.sweep.parameters['train.lrr'] = { type: 'float', min: 0.1, max: 1 }),
    { path: 'sweep.parameters["train.lrr"]', expected: /^a path into the spec: no property 'lrr' \(did you mean 'lr'\?\)$/, found: '"train.lrr"' }],
  ['a bound the spec rejects', (s) => (s.sweep.parameters['train.lr'].min = 0),
    { path: 'sweep.parameters["train.lr"].min', expected: /^a number > 0 with log: true$/ }],
  ['a linear bound the spec rejects', (s) => (s.sweep.parameters['train.l2'] = { type: 'float', min: -1, max: 1 }),
    { path: 'sweep.parameters["train.l2"].min', expected: /^a value valid at train\.l2: a number >= 0$/, found: '-1' }],
  ['a categorical value the spec rejects', (s) => (s.sweep.parameters['model.layers'].values.push([0])),
    { path: 'sweep.parameters["model.layers"].values[2]', expected: /^a value valid at model\.layers: an integer >= 1 \(at model\.layers\[0\]\)$/ }],
  ['max not above min', (s) => (s.sweep.parameters['train.batchSize'].max = 16),
    { path: 'sweep.parameters["train.batchSize"].max', expected: /^a number > min \(16\)$/ }],
  ['a step past the range', (s) => (s.sweep.parameters['train.batchSize'] = { type: 'int', min: 16, max: 128, step: 200 }),
    { path: 'sweep.parameters["train.batchSize"].step', expected: /^at most max - min \(112\), so that the range has a second value$/, found: '200' }],
  ['log with a step', (s) => (s.sweep.parameters['train.lr'].step = 0.01),
    { path: 'sweep.parameters["train.lr"].step', expected: /^no step with log: true$/ }],
  ['a condition on an unknown parameter', (s) => (s.sweep.parameters['train.momentum'].when.parameter = 'train.optimiser'),
    { path: 'sweep.parameters["train.momentum"].when.parameter', expected: /categorical parameter of this sweep: one of: train\.optimizer, model\.layers \(did you mean 'train\.optimizer'\?\)/ }],
  ['a condition on a numeric parameter', (s) => (s.sweep.parameters['train.momentum'].when.parameter = 'train.lr'),
    { path: 'sweep.parameters["train.momentum"].when.parameter', expected: /\(train\.lr is float\)$/ }],
  ['a condition on a value the parameter cannot take', (s) => (s.sweep.parameters['train.momentum'].when.in = ['nesterov']),
    { path: 'sweep.parameters["train.momentum"].when.in[0]', expected: /^a value of train\.optimizer: one of: adam, momentum$/, found: '"nesterov"' }],
  ['conditions in a cycle', (s) => {
    s.sweep.parameters['train.optimizer'].when = { parameter: 'model.layers', in: [[32]] };
    s.sweep.parameters['model.layers'].when = { parameter: 'train.optimizer', in: ['adam'] };
  }, { path: 'sweep.parameters["train.optimizer"].when.parameter', expected: /without a cycle/ }],
  ['a path inside the sweep', (s) => (s.sweep.parameters['sweep.seed'] = { type: 'int', min: 0, max: 3 }),
    { path: 'sweep.parameters["sweep.seed"]', expected: /outside sweep/ }],
  ['an unknown objective metric', (s) => (s.sweep.objectives[0].metric = 'val_accuarcy'),
    { path: 'sweep.objectives[0].metric', expected: /^a metric the spec's stages record \(did you mean 'val_accuracy'\?\): training: loss, val_loss, accuracy, val_accuracy$/ }],
  ['a test metric as objective', (s) => (s.sweep.objectives[0].metric = 'test_accuracy'),
    { path: 'sweep.objectives[0].metric', expected: /^a metric the spec's stages record \(test metrics are never objectives: nothing is selected on the test split\): training: loss, val_loss, accuracy, val_accuracy$/ }],
  ['a val_ objective without a validation split', (s) => (s.data.split = { train: 0.8, val: 0, test: 0.2 }),
    { path: 'sweep.objectives[0].metric', expected: /data\.split\.val > 0/ }],
  ['the same metric twice', (s) => s.sweep.objectives.push({ metric: 'val_accuracy', direction: 'maximize' }),
    { path: 'sweep.objectives[1].metric', expected: /no other objective uses/ }],
  ['four objectives', (s) => s.sweep.objectives.push(...['loss', 'val_loss', 'accuracy'].map((m) => ({ metric: m, direction: 'minimize' }))),
    { path: 'sweep.objectives', expected: /3/ }],
  ['no budget for the default sampler', (s) => delete s.sweep.trials,
    { path: 'sweep.trials', expected: /^a budget for the auto sampler: trials, timeLimit or both$/, found: 'nothing' }],
  ['an unknown sampler', (s) => (s.sweep.sampler = { type: 'bayes' }),
    { path: 'sweep.sampler.type', expected: /^one of: auto, grid, random, tpe, gp$/ }],
  ['a categorical value listed twice', (s) => s.sweep.parameters['model.layers'].values.push([32]),
    { path: 'sweep.parameters["model.layers"].values[2]', expected: /^a value not already listed \(values\[0\] is the same\)$/, found: '[32]' }],
  ['an ASHA whose first rung is the last epoch (DIGITS trains 2)', (s) => (s.sweep.stopper = { type: 'asha', minEpochs: 2 }),
    { path: 'sweep.stopper.minEpochs', expected: /^fewer than the 2 epochs a trial trains/, found: '2' }],
  ['a Hyperband with one bracket: minEpochs × eta past the epochs', (s) => (s.sweep.stopper = { type: 'hyperband', minEpochs: 1, eta: 3 }),
    { path: 'sweep.stopper.minEpochs', expected: /minEpochs × eta \(3\) is within the 2 epochs a trial trains/, found: '1' }],
  ['a median rule warming up for every epoch', (s) => (s.sweep.stopper = { type: 'median', warmupEpochs: 2 }),
    { path: 'sweep.stopper.warmupEpochs', expected: /^fewer than the 2 epochs a trial trains/, found: '2' }],
  ['a stopper while the epochs are swept', (s) => {
    s.sweep.stopper = { type: 'asha', minEpochs: 1 };
    s.sweep.parameters['train.epochs'] = { type: 'int', min: 2, max: 6 };
  }, { path: 'sweep.stopper.type', expected: /^'none' while train\.epochs is a sweep parameter: a stopper judges trials of one length/, found: '"asha"' }],
  ['a parameter without type', (s) => (s.sweep.parameters['train.l2'] = { min: 0, max: 1 }),
    { path: 'sweep.parameters["train.l2"].type', expected: /float, int, categorical/ }],
];

for (const [name, change, want] of cases) {
  test(`sweep problem: ${name} -> ${want.path} only`, () => {
    const problems = problemsOf(withSweep(change));
    assert.deepEqual(problems.map((p) => p.path), [want.path], JSON.stringify(problems));
    assert.match(problems[0].expected, want.expected);
    if (want.found) assert.equal(problems[0].found, want.found);
  });
}

test('stoppers that can act within the trial\'s epochs are accepted', () => {
  for (const stopper of [{ type: 'asha', minEpochs: 1, eta: 3 }, { type: 'hyperband', minEpochs: 1, eta: 2 }, { type: 'median', warmupEpochs: 1 }]) {
    assert.deepEqual(problemsOf(withSweep((s) => (s.sweep.stopper = stopper))), [], JSON.stringify(stopper));
  }
});

test('a grid needs no trial budget; a spec without sweep is unaffected', () => {
  assert.deepEqual(problemsOf(withSweep((s) => ((s.sweep.sampler = { type: 'grid' }), delete s.sweep.trials))), []);
  assert.deepEqual(problemsOf(DIGITS), []);
});

test('a trial spec: the sweep section dropped, the parameters set as --set would, validated', () => {
  const raw = withSweep();
  const t = trialSpec(raw, { 'train.lr': 0.01, 'train.optimizer': 'momentum', 'train.momentum': 0.9, 'model.layers': [64, 32] }, BASE_DIR);
  assert.deepEqual(t.problems, []);
  assert.deepEqual(t.overrides, ['train.lr=0.01', 'train.optimizer=momentum', 'train.momentum=0.9', 'model.layers=[64,32]']);
  assert.equal(t.spec!.sweep, undefined);
  assert.deepEqual([t.spec!.train.lr, t.spec!.train.optimizer, t.spec!.train.momentum, t.spec!.model], [0.01, 'momentum', 0.9, { type: 'mlp', layers: [64, 32], activation: 'relu', dropout: 0 }]);
  assert.ok(raw.sweep, 'the raw spec is not modified');
  assert.deepEqual(trialSpec(raw, { 'train.optimizer': 'true' }, BASE_DIR).overrides, ['train.optimizer="true"'], 'a string that would parse as JSON is quoted');
  const bad = trialSpec(raw, { 'train.lr': -1 }, BASE_DIR);
  assert.equal(bad.spec, undefined);
  assert.deepEqual(bad.problems.map((p) => p.path), ['train.lr']);
});

test('a value inside an int range that the spec rejects is found, though both ends are valid; a step that skips it is not', () => {
  // 1258 training digits (0.7 of 1797) deal into equal shards among 17 or 34 clients, not 18.
  const fed = (param: Json) => withSweep((s) => {
    s.data.split = { train: 0.7, val: 0.3, test: 0 };
    s.federated = { rounds: 2, clients: 17, partition: { type: 'shards', shardsPerClient: 1 } };
    delete s.train.epochs; // a federated spec counts federated.rounds
    s.sweep.parameters = { 'federated.clients': param };
  });
  const problems = problemsOf(fed({ type: 'int', min: 17, max: 34 }));
  assert.deepEqual(problems.map((p) => [p.path, p.found]), [['sweep.parameters["federated.clients"]', '18 (inside the range), giving 18 × 1 = 18']], JSON.stringify(problems));
  assert.match(problems[0].expected, /^a value valid at federated\.clients: clients × shardsPerClient dividing the 1258 training samples/);
  assert.deepEqual(problemsOf(fed({ type: 'int', min: 17, max: 34, step: 17 })), []);
});
