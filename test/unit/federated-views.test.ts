// How a federated run reads in the Runs tree, Run detail and chart axes (core/dashboard/federated.ts and
// its users): rounds, not epochs; the federation's settings in `hone show`'s words; the partition's numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { epochAxisLabel, stepAxisLabel, federatedFacts, federatedLine, partitionStatsText, partitionText, stepUnit } from '../../src/core/dashboard/federated';
import { runDetail } from '../../src/core/dashboard/run-info';
import { PARTITION_FILE, type PartitionSummary } from '../../src/core/federated';
import { validateSpec } from '../../src/core/spec';
import type { FederatedSpec } from '../../src/core/spec/federated-types';
import type { RunRecord } from '../../src/core/store/types';
import { runNode } from '../../src/extension/tree-model';
import { localConfig } from '../../src/engine/federated/round';
import { ROOT } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const spec = validateSpec(JSON.parse(readFileSync(join(ROOT, 'examples/digits-federated.hone.json'), 'utf8')), { baseDir: ROOT }).spec!;
const fed = spec.federated!;
const run = (over: Partial<RunRecord>): RunRecord => ({
  id: '20261129-120000-fedfed', name: 'digits-federated', experiment: 'digits-federated', kind: 'federated', spec, overrides: [], seed: 1,
  status: 'completed', created: '2026-11-29T12:00:00Z', host: 'h', versions: {}, epochsDone: 15, epochsPlanned: 15, ...over,
});

test('a federated run steps in rounds; an axis over federated runs is titled round, over a mix epoch / round', () => {
  assert.equal(stepUnit('federated'), 'round');
  for (const kind of ['train', 'compress', 'exec', undefined] as const) assert.equal(stepUnit(kind), 'epoch');
  assert.equal(epochAxisLabel(['federated', 'federated']), 'round');
  assert.equal(epochAxisLabel(['train', undefined]), 'epoch');
  assert.equal(epochAxisLabel(['federated', 'train']), 'epoch / round');
  assert.equal(epochAxisLabel([]), 'epoch', 'nothing drawn: the default axis');
  // A federated run's step is its round too; a trained run's an optimizer step.
  assert.deepEqual([['federated'], ['train', 'compress'], ['train', 'federated'], []].map((k) => stepAxisLabel(k as never)), ['round', 'step', 'step / round', 'step']);
});

test('the federation in words: one line for hone show, label/value rows for Run detail and the tooltip', () => {
  assert.equal(federatedLine(fed), 'federated fedavg, 15 rounds of 20 clients (dirichlet alpha 0.5), C 0.25, E 2, B 10');
  assert.equal(partitionText({ type: 'iid', sizeSigma: 0 }), 'iid');
  assert.equal(partitionText({ type: 'iid', sizeSigma: 1 }), 'iid, log-normal sizes (sigma 1)');
  assert.equal(partitionText({ type: 'shards', shardsPerClient: 2 }), 'shards, 2 per client');
  const facts = new Map(federatedFacts(fed));
  assert.deepEqual([...facts.keys()], ['algorithm', 'rounds', 'clients', 'fraction C', 'local epochs E', 'local batch B', 'partition'], 'plain FedAvg: no optional rows');
  assert.equal(facts.get('algorithm'), 'fedavg');
  assert.equal(facts.get('fraction C'), '0.25');
  const robust: FederatedSpec = { ...fed, batchSize: 0, aggregation: { rule: 'krum', byzantine: 2 }, attack: { type: 'signFlip', fraction: 0.2, scale: 1 }, privacy: { clip: 1, noise: 1.1, delta: 1e-5 }, compression: { type: 'q8', errorFeedback: true } };
  const more = new Map(federatedFacts(robust));
  assert.equal(more.get('local batch B'), 'all');
  assert.equal(more.get('aggregation'), 'krum');
  assert.equal(more.get('attack'), 'signFlip (0.2 of clients)');
  assert.equal(more.get('privacy'), 'DP clip 1, noise 1.1, delta 0.00001');
  assert.equal(more.get('upload compression'), 'q8');
  assert.match(federatedLine(robust), /; aggregation krum; attack signFlip \(0\.2 of clients\); DP clip 1 noise 1\.1 delta 0\.00001; upload q8$/);
  assert.equal(partitionStatsText({ clients: 3, samples: 30, minSize: 5, maxSize: 15, labels: { min: 1, mean: 2.333, max: 4 }, byzantine: 1 }), '5..15 samples each; labels per client 1..4 (mean 2.3); 1 Byzantine');
  assert.equal(partitionStatsText({ clients: 3, samples: 30, minSize: 10, maxSize: 10, byzantine: 0 }), '10..10 samples each', 'regression: no labels');
});

test('fedsgd shows what its clients train, E 1 and B all (one full-batch step), not the unused defaults E 5, B 10', () => {
  const raw = JSON.parse(readFileSync(join(ROOT, 'examples/digits-federated.hone.json'), 'utf8'));
  const v = validateSpec({ ...raw, federated: { clients: 20, algorithm: 'fedsgd' } }, { baseDir: ROOT });
  assert.deepEqual(v.problems, []);
  const sgd = v.spec!;
  assert.deepEqual([sgd.federated!.localEpochs, sgd.federated!.batchSize], [5, 10], 'the schema fills its defaults');
  assert.match(federatedLine(sgd.federated!), /^federated fedsgd, 20 rounds of 20 clients \(iid\), C 0\.1, E 1, B all$/);
  const facts = new Map(federatedFacts(sgd.federated!));
  assert.deepEqual([facts.get('local epochs E'), facts.get('local batch B')], ['1', 'all']);
  const tip = runNode(run({ spec: sgd })).tooltip;
  assert.match(tip, /\| local epochs E \| 1 \|/);
  assert.match(tip, /\| local batch B \| all \|/);
  // The rule the clients follow: round.ts's local config for fedsgd is the same one step.
  const local = localConfig(sgd.federated!, sgd.train, 1, 1, 0, 50, { kind: 'full' });
  assert.deepEqual([local.epochs, local.batch], [1, 0]);
});

test('tree: a federated run shows round k/N while it runs, its kind and headline metric from the registry, and the federation in its tooltip', () => {
  const running = runNode(run({ status: 'running', epochsDone: 3, latest: { loss: 1.4, accuracy: 0.62, test_accuracy: 0.56, client_accuracy_mean: 0.5 } }));
  assert.equal(running.description, 'round 3/15 test acc 56.0%', 'round says federated: the word would push the metric out of the sidebar');
  assert.equal(running.icon.id, 'sync~spin');
  assert.match(running.contextValue, /\bkind-federated\b/);
  assert.match(running.tooltip, /· 3\/15 rounds/);
  const done = runNode(run({ final: { accuracy: 0.9, test_accuracy: 0.91, loss: 0.3 } }));
  assert.equal(done.description, 'federated test acc 91.0%');
  assert.equal(done.icon.id, 'pass');
  assert.match(done.tooltip, /\| algorithm \| fedavg \|/);
  assert.match(done.tooltip, /\| partition \| dirichlet alpha 0\.5 \|/);
  assert.match(done.tooltip, /\| client optimizer \| sgd \|/);
  assert.doesNotMatch(done.tooltip, /\| epochs \|/, 'train.epochs means nothing to a federated run');
});

test('Run detail of a federated run carries its partition.json numbers; other runs have none', () => {
  const dir = makeTmpDir();
  try {
    const summary: PartitionSummary = { version: 1, partition: fed.partition, seed: 1, clients: 3, samples: 30, classes: 3, sizes: [5, 10, 15], labels: [[5, 0, 0], [4, 6, 0], [5, 5, 5]], byzantine: [] };
    writeFileSync(join(dir, PARTITION_FILE), JSON.stringify(summary));
    assert.deepEqual(runDetail(run({}), dir).partition, { clients: 3, samples: 30, minSize: 5, maxSize: 15, labels: { min: 1, mean: 2, max: 3 }, byzantine: 0 });
    assert.equal(runDetail(run({ kind: 'train' }), dir).partition, undefined);
  } finally {
    removeTmpDir(dir);
  }
});
