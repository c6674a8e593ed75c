// The spec's `federated` section: defaults, one problem at the right JSON path for each kind of bad
// input (and nothing else reported), the CLI's exit 2 with nothing written, and sweeps over federated.* paths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs, { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validateSpec } from '../../src/core/spec';
import { localConfig } from '../../src/engine/federated/round';
import { planWorkers } from '../../src/engine/federated/setup';
import { hone, ROOT, writeSpec } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const digits = (federated: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: 'fed',
  data: { source: 'digits', split: { train: 0.8, val: 0, test: 0.2 }, normalize: 'scale' },
  model: { type: 'mlp', layers: [16] },
  train: { optimizer: 'sgd', lr: 0.05 },
  federated: { clients: 20, fraction: 0.5, rounds: 2, ...federated },
  ...extra,
});
const regression = (federated: Record<string, unknown>) => ({
  name: 'fed-reg', data: { source: 'regression', samples: 500, features: 3 }, model: { type: 'linear' }, federated: { clients: 10, ...federated },
});

const check = (raw: unknown) => validateSpec(raw, { baseDir: ROOT });

test('defaults: FedAvg, 20 rounds of 100 clients at C 0.1, E 5, B 10, IID, mean; serverLr 1, or 0.01 for adaptive servers', () => {
  const { spec, problems } = check({ ...digits({}), federated: { clients: 10 } });
  assert.deepEqual(problems, []);
  const f = spec!.federated!;
  assert.deepEqual({ algorithm: f.algorithm, rounds: f.rounds, fraction: f.fraction, localEpochs: f.localEpochs, batchSize: f.batchSize }, { algorithm: 'fedavg', rounds: 20, fraction: 0.1, localEpochs: 5, batchSize: 10 });
  assert.deepEqual(f.partition, { type: 'iid', sizeSigma: 0 });
  assert.deepEqual(f.aggregation, { rule: 'mean' });
  assert.equal(f.serverLr, 1);
  assert.equal(check(digits({ algorithm: 'fedadam' })).spec!.federated!.serverLr, 0.01);
  assert.equal(check(digits({ algorithm: 'fedadam', serverLr: 0.1 })).spec!.federated!.serverLr, 0.1);
  const dp = check(digits({ privacy: {}, compression: { type: 'topk' } })).spec!.federated!;
  assert.deepEqual(dp.privacy, { clip: 1, noise: 1, delta: 1e-5 });
  assert.deepEqual(dp.compression, { type: 'topk', ratio: 0.01, errorFeedback: true });
  const robust = check(digits({ attack: { type: 'signFlip' }, aggregation: { rule: 'krum' } })).spec!.federated!;
  assert.deepEqual(robust.attack, { type: 'signFlip', fraction: 0.2, scale: 4 });
  assert.deepEqual(robust.aggregation, { rule: 'krum', byzantine: 1 });
  assert.equal(check({ name: 'plain', data: { source: 'digits' }, model: { type: 'linear' } }).spec!.federated, undefined);
  // Batch norm is refused with privacy and adaptive servers only (BAD below): a plain mean keeps its statistics statistics.
  const bn = { model: { type: 'layers', layers: [{ type: 'dense', units: 8 }, { type: 'batchNorm' }] } };
  for (const algorithm of ['fedavg', 'fedprox', 'fedavgm']) assert.deepEqual(check(digits({ algorithm }, bn)).problems, [], algorithm);
});

const BAD: { name: string; spec: unknown; path: string; says: RegExp }[] = [
  { name: 'C = 0', spec: digits({ fraction: 0 }), path: 'federated.fraction', says: /> 0/ },
  { name: 'C > 1', spec: digits({ fraction: 1.5 }), path: 'federated.fraction', says: /<= 1/ },
  { name: 'more clients than samples', spec: digits({ clients: 2000 }), path: 'federated.clients', says: /at most 1438 clients/ },
  { name: 'Dirichlet alpha 0', spec: digits({ partition: { type: 'dirichlet', alpha: 0 } }), path: 'federated.partition.alpha', says: /> 0/ },
  { name: 'shards that do not divide the data', spec: digits({ clients: 100, partition: { type: 'shards' } }), path: 'federated.partition.shardsPerClient', says: /dividing the 1438 training samples/ },
  { name: 'negative noise', spec: digits({ privacy: { noise: -1 } }), path: 'federated.privacy.noise', says: />= 0/ },
  { name: 'Krum with n <= 2f + 2', spec: digits({ aggregation: { rule: 'krum', byzantine: 4 } }), path: 'federated.aggregation.byzantine', says: /more than 2f \+ 2 = 10 updates/ },
  { name: 'a label partition of a regression task', spec: regression({ partition: { type: 'dirichlet' } }), path: 'federated.partition.type', says: /'iid'/ },
  { name: 'label flipping on a regression task', spec: regression({ attack: { type: 'labelFlip' } }), path: 'federated.attack.type', says: /no labels to flip/ },
  { name: 'mu without fedprox', spec: digits({ mu: 0.1 }), path: 'federated.mu', says: /no mu with algorithm fedavg/ },
  { name: 'fedsgd with local epochs', spec: digits({ algorithm: 'fedsgd', localEpochs: 3 }), path: 'federated.localEpochs', says: /one full-batch gradient/ },
  { name: 'privacy with a robust rule', spec: digits({ privacy: {}, aggregation: { rule: 'median' } }), path: 'federated.aggregation.rule', says: /'mean' with privacy/ },
  { name: 'an attack that makes no client Byzantine', spec: digits({ attack: { type: 'scale', fraction: 0.01 } }), path: 'federated.attack.fraction', says: /at least one of the 20/ },
  { name: 'a trimmed mean that trims nothing', spec: digits({ aggregation: { rule: 'trimmedMean', trim: 0.05 } }), path: 'federated.aggregation.trim', says: /at least 1\/10 = 0\.100, so that floor\(trim × 10 updates per round\)/ },
  { name: 'dropout that leaves nobody', spec: digits({ fraction: 0.05, dropout: 0.6 }), path: 'federated.dropout', says: /at least one client/ },
  { name: 'early stopping', spec: digits({}, { train: { optimizer: 'sgd', earlyStopping: { metric: 'loss' } } }), path: 'train.earlyStopping', says: /counts rounds/ },
  { name: 'a robustness section (never evaluated in a federated run)', spec: digits({}, { robustness: { evaluate: { eps: 0.1 } } }), path: 'robustness', says: /a federated run does not evaluate robustness during training: run `hone attack <run>` on it/ },
  { name: 'a compress section (never applied in a federated run)', spec: digits({}, { compress: { quantize: { bits: 8 } } }), path: 'compress', says: /a federated run does not compress its model during training: run `hone compress <run>` on it/ },
  { name: 'a Dirichlet alpha that leaves a client empty (digits: dealt while validating)', spec: digits({ clients: 200, partition: { type: 'dirichlet', alpha: 0.01 } }), path: 'federated.partition.alpha', says: /an alpha that gives each of the 200 clients at least one of the 1438 training samples \(raise alpha or use fewer clients\), found 0\.01, with which every draw/ },
  { name: 'the default alpha leaving a client empty (generated data)', spec: digits({ clients: 400, partition: { type: 'dirichlet' } }, { data: { source: 'classification', samples: 500, classes: 2 } }), path: 'federated.partition.alpha', says: /each of the 400 clients at least one of the 400 training samples.*found 0\.5/ },
  // Written epochs and batch size would be ignored (a filled default is not written: the defaults test passes).
  { name: 'train.epochs', spec: digits({}, { train: { optimizer: 'sgd', epochs: 3 } }), path: 'train.epochs', says: /counts rounds, not epochs \(federated\.rounds\), and each client trains federated\.localEpochs epochs per round, found 3$/ },
  { name: 'train.batchSize', spec: digits({}, { train: { optimizer: 'sgd', batchSize: 64 } }), path: 'train.batchSize', says: /^expected no train\.batchSize: clients train at federated\.batchSize, found 64$/ },
  { name: 'privacy with batch norm (noise on moving variances)', spec: digits({ privacy: {} }, { model: { type: 'layers', layers: [{ type: 'dense', units: 8 }, { type: 'batchNorm' }] } }), path: 'federated.privacy', says: /^expected no privacy with the model's batch-norm layers: .*could turn a variance negative/ },
  { name: 'an adaptive server with batch norm', spec: digits({ algorithm: 'fedadam' }, { model: { type: 'layers', layers: [{ type: 'dense', units: 8 }, { type: 'batchNorm' }] } }), path: 'federated.algorithm', says: /^expected fedavg, fedprox or fedavgm with the model's batch-norm layers: .*fedadam would step them by about serverLr/ },
  { name: 'a misspelt field', spec: digits({ rouns: 3 }), path: 'federated.rouns', says: /did you mean 'rounds'/ },
  { name: 'an option of another branch', spec: digits({ partition: { type: 'iid', alpha: 1 } }), path: 'federated.partition.alpha', says: /no property/ },
];

for (const c of BAD) {
  test(`bad input: ${c.name} -> a problem at ${c.path}, and only there`, () => {
    const { spec, problems } = check(c.spec);
    assert.equal(spec, undefined);
    const here = problems.find((p) => p.path === c.path);
    assert.ok(here, `no problem at ${c.path}: ${JSON.stringify(problems)}`);
    assert.match(`expected ${here.expected}, found ${here.found}`, c.says);
    assert.deepEqual(problems.map((p) => p.path).filter((p) => p !== c.path), [], JSON.stringify(problems));
  });
}

test('train.schedule counts rounds: every client of round r trains at the rate of epoch r, and a cosine warm-up is checked against the rounds', () => {
  const lrs = (schedule: unknown, rounds: number) => {
    const { spec, problems } = check(digits({ rounds }, { train: { optimizer: 'sgd', lr: 0.2, schedule } }));
    assert.deepEqual(problems, []);
    return Array.from({ length: rounds }, (_, i) => localConfig(spec!.federated!, spec!.train, 1, i + 1, 3, 50, { kind: 'full' }).lr);
  };
  assert.deepEqual(lrs({ type: 'constant' }, 3), [0.2, 0.2, 0.2]);
  assert.deepEqual(lrs({ type: 'step', stepEpochs: 2, gamma: 0.5 }, 5), [0.2, 0.2, 0.1, 0.1, 0.05]);
  const cosine = lrs({ type: 'cosine' }, 4);
  // Cosine from lr towards 0 over the 4 rounds: (1 + cos(pi r / 4)) / 2 of lr at round r + 1.
  cosine.forEach((lr, r) => assert.ok(Math.abs(lr - (0.2 * (1 + Math.cos((Math.PI * r) / 4))) / 2) < 1e-12, `round ${r + 1}: ${lr}`));
  // A warm-up of 12 epochs is fine over 20 rounds, whatever train.epochs' default (10) would say; not over 12.
  assert.deepEqual(check(digits({ rounds: 20 }, { train: { optimizer: 'sgd', schedule: { type: 'cosine', warmupEpochs: 12 } } })).problems, []);
  const over = check(digits({ rounds: 12 }, { train: { optimizer: 'sgd', schedule: { type: 'cosine', warmupEpochs: 12 } } })).problems;
  assert.deepEqual(over.map((p) => [p.path, p.expected.split(':')[0]]), [['train.schedule.warmupEpochs', 'fewer than federated.rounds (12)']]);
});

test('a Dirichlet deal is made once per federation, not on every validation (editor keystrokes, sweep probes)', (t) => {
  const spec = digits({ clients: 30, partition: { type: 'dirichlet', alpha: 0.3 } }, { seed: 4242 });
  const openSync = fs.openSync;
  let reads = 0;
  t.mock.method(fs, 'openSync', (...args: Parameters<typeof fs.openSync>) => {
    if (String(args[0]).endsWith('digits.csv.gz')) reads++;
    return openSync(...args);
  });
  assert.deepEqual(check(spec).problems, []);
  const first = reads;
  assert.ok(first > 0, 'the first validation reads the digits to deal them');
  assert.deepEqual(check(spec).problems, []);
  assert.equal(reads, first, 'the second validation of the same federation reads nothing');
  check(digits({ clients: 30, partition: { type: 'dirichlet', alpha: 0.4 } }, { seed: 4242 }));
  assert.ok(reads > first, 'another alpha is dealt again');
});

let dir: string;
before(() => (dir = makeTmpDir('hone-fed-spec-')));
after(() => removeTmpDir(dir));

test('hone run of a bad federated spec: exit 2, every problem with its JSON path, no store written', () => {
  const store = join(dir, 'store');
  const r = hone(['run', writeSpec(dir, 'bad', digits({ fraction: 0, clients: 5000, privacy: { noise: -1 } })), '--store', store]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /federated\.fraction: expected a number > 0/);
  assert.match(r.stderr, /federated\.privacy\.noise: expected a number >= 0/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.ok(!existsSync(store), `nothing written: ${existsSync(store) ? readdirSync(store) : ''}`);
});

test('sweeps over federated.* paths: values checked at their paths like --set, federated checks included', () => {
  const sweep = (parameters: Record<string, unknown>, federated: Record<string, unknown> = { algorithm: 'fedprox' }) => check(digits(federated, {
    sweep: { parameters, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], trials: 4 },
    data: { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'scale' },
  })).problems;
  assert.deepEqual(sweep({ 'federated.mu': { type: 'float', min: 0, max: 1 }, 'federated.fraction': { type: 'float', min: 0.1, max: 1 } }), []);
  assert.deepEqual(sweep({ 'federated.partition.alpha': { type: 'categorical', values: [0.1, 1] } }, { partition: { type: 'dirichlet' } }), []);
  const paths = (problems: { path: string }[]) => problems.map((p) => p.path);
  assert.deepEqual(paths(sweep({ 'federated.fraction': { type: 'float', min: 0.1, max: 1.5 } })), ['sweep.parameters["federated.fraction"].max']);
  const krum = sweep({ 'federated.aggregation.byzantine': { type: 'int', min: 1, max: 6 } }, { aggregation: { rule: 'krum' } });
  assert.deepEqual(paths(krum), ['sweep.parameters["federated.aggregation.byzantine"].max']);
  assert.match(JSON.stringify(krum), /more than 2f \+ 2 = 14 updates per round/);
});

test('client workers split the run\'s threads, however the count was given (spec threads, HONE_THREADS or the fair share)', () => {
  const f = check(digits({ clients: 10, fraction: 0.4 })).spec!.federated!;
  assert.deepEqual(planWorkers(f, 8), { workers: 4, threads: 2 }, 'four clients a round, eight cores');
  assert.deepEqual(planWorkers(f, 4), { workers: 4, threads: 1 });
  assert.deepEqual(planWorkers(f, 2), { workers: 2, threads: 1 });
  assert.deepEqual(planWorkers({ ...f, workers: 1 }, 4), { workers: 1, threads: 4 });
});
