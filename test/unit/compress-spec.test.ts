// The spec's `compress` section: defaults, and every bad value reported at its JSON path (schema and
// semantic checks), including sweeps over compression settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSpec } from '../../src/core/spec';
import { namedLayers } from '../../src/core/compress/layers';
import { plannedEpochs } from '../../src/core/compress/plan';

const base = (compress: unknown, extra: Record<string, unknown> = {}) => ({
  name: 'c', data: { source: 'digits' }, model: { type: 'mlp', layers: [16, 2] }, compress, ...extra,
});
const problems = (raw: unknown) => validateSpec(raw, { baseDir: process.cwd() }).problems.map((p) => `${p.path}: ${p.expected}`);

test('defaults: a bare technique gets its schedule, epochs and latency settings', () => {
  const { spec, problems: p } = validateSpec(base({ prune: { sparsity: 0.9 }, share: { clusters: 16 }, quantize: {}, sensitivity: {} }), { baseDir: '.' });
  assert.deepEqual(p, []);
  assert.deepEqual(spec!.compress, {
    prune: { sparsity: 0.9, scope: 'layer', layers: {}, schedule: { type: 'polynomial', initialSparsity: 0, begin: 0, end: 0.75, frequency: 100 }, epochs: 2 },
    share: { clusters: 16, init: 'linear', layers: {}, epochs: 1 },
    quantize: { bits: 8, granularity: 'tensor', layers: {}, epochs: 0 },
    sensitivity: { sparsities: [0.5, 0.75, 0.9, 0.95], bits: [8, 6, 4, 2] },
    latency: { warmup: 3, runs: 15 },
  });
  assert.equal(plannedEpochs(spec!, 'train'), 10 + 2 + 1 + 0 + 1);
  assert.equal(plannedEpochs(spec!, 'compress'), 2 + 1 + 1);
  assert.deepEqual(namedLayers(spec!.model).map((l) => l.name), ['dense1', 'dense2', 'dense3']);
});

test("a prune schedule given only some fields is the default polynomial one (as --set compress.prune.schedule.frequency=10 writes it)", () => {
  const { spec, problems: p } = validateSpec(base({ prune: { sparsity: 0.5, schedule: { frequency: 10 } } }), { baseDir: '.' });
  assert.deepEqual(p, []);
  assert.deepEqual(spec!.compress!.prune!.schedule, { type: 'polynomial', initialSparsity: 0, begin: 0, end: 0.75, frequency: 10 });
  assert.deepEqual(problems(base({ prune: { sparsity: 0.5, schedule: { cycles: 5 } } })), ["compress.prune.schedule.cycles: no property 'cycles'"], "another kind's field still needs its type");
});

test('bad values, each at its JSON path', () => {
  const cases: [unknown, string][] = [
    [{ prune: { sparsity: 1 } }, 'compress.prune.sparsity: a number < 1'],
    [{ prune: { sparsity: -0.1 } }, 'compress.prune.sparsity: a number >= 0'],
    [{ prune: { sparsity: 0.5, layers: { dense2: 1.5 } } }, 'compress.prune.layers.dense2: a number < 1'],
    [{ quantize: { bits: 9 } }, 'compress.quantize.bits: one of: 2, 3, 4, 5, 6, 7, 8, 16'],
    [{ quantize: { bits: 1 } }, 'compress.quantize.bits: one of'],
    [{ share: { clusters: 1 } }, 'compress.share.clusters: an integer >= 2'],
    [{ share: { clusters: 257 } }, 'compress.share.clusters: an integer <= 256'],
    [{ share: { clusters: 4, layers: { conv1: 4 } } }, "compress.share.layers.conv1: a layer of this model, one of: dense1, dense2, dense3"],
    [{ prune: { sparsity: 0.5, layers: { dense9: 0.5 } } }, 'compress.prune.layers.dense9: a layer of this model, one of: dense1, dense2, dense3'],
    [{ structured: { fraction: 0.75 } }, 'compress.structured.fraction: a fraction that leaves dense2 at least one of its 2 units'],
    [{ structured: { fraction: 0.2, layers: { dense1: 0.99 } } }, 'compress.structured.layers.dense1: a fraction that leaves dense1 at least one of its 16 units'],
    [{ structured: { fraction: 0.2, layers: { dense3: 0.5 } } }, 'compress.structured.layers.dense3: a hidden layer (dense3 is the output layer)'],
    [{ prune: { sparsity: 0.5, schedule: { type: 'polynomial', begin: 0.6, end: 0.4 } } }, 'compress.prune.schedule.end: a fraction >= begin (0.6)'],
    [{ prune: { sparsity: 0.5, schedule: { type: 'polynomial', initialSparsity: 0.7 } } }, 'compress.prune.schedule.initialSparsity: at most the final sparsity (0.5)'],
    [{ prune: { sparsity: 0.5, schedule: { type: 'gradual' } } }, 'compress.prune.schedule.type: one of'],
    [{ quantize: { bits: 16, granularity: 'channel' } }, 'compress.quantize.granularity: "tensor" with bits 16'],
    [{ quantize: { bits: 8, epochs: 3, layers: { dense1: 16, dense2: 16, dense3: 16 } } }, 'compress.quantize.epochs: 0 with every layer at 16 bits (quantize.layers)'],
    [{ prune: { sparsity: 0.5, epochs: 0, schedule: { type: 'iterative', cycles: 2, rewind: 'init' } } }, 'compress.prune.schedule.rewind: "none" with prune.epochs 0 (rewinding resets the kept weights'],
    [{ quantize: { bits: 4, granulrity: 'channel' } }, "compress.quantize.granulrity: no property 'granulrity' (did you mean 'granularity'?)"],
  ];
  const missed = cases.flatMap(([compress, expected]) => {
    const found = problems(base(compress));
    return found.some((p) => p.startsWith(expected)) ? [] : [`${JSON.stringify(compress)}: expected "${expected}", found ${JSON.stringify(found)}`];
  });
  assert.deepEqual(missed, []);
  // A layer quantized to 2-8 bits takes per-channel scales and quantization-aware training, whatever `bits` says.
  assert.deepEqual(problems(base({ quantize: { bits: 16, granularity: 'channel', epochs: 2, layers: { dense1: 4 } } })), []);
  assert.deepEqual(problems(base({ structured: { fraction: 0.5 } }, { model: { type: 'linear' } })), ['compress.structured: a model with a hidden dense or conv layer (the output layer keeps its units: they are the outputs)']);
});

test('sweeps: compress.prune.sparsity is set like any path, its values checked; compression metrics are objectives only with a compress section', () => {
  const sweep = (values: number[], metric = 'packed_bytes') => ({
    parameters: { 'compress.prune.sparsity': { type: 'categorical', values } },
    objectives: [{ metric: 'val_accuracy', direction: 'maximize' }, { metric, direction: 'minimize' }],
    sampler: { type: 'grid' },
  });
  const split = { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 } };
  assert.deepEqual(problems(base({ prune: { sparsity: 0.5 } }, { data: split, sweep: sweep([0.5, 0.9]) })), []);
  assert.ok(problems(base({ prune: { sparsity: 0.5 } }, { data: split, sweep: sweep([0.5, 1.2]) })).some((p) => p.startsWith('sweep.parameters["compress.prune.sparsity"].values[1]')));
  assert.ok(problems({ ...base(undefined), data: split, sweep: sweep([0.5]) }).some((p) => p.startsWith('sweep.objectives[1].metric')));
});

test('every compression metric has a direction, unit and label in the registry', async () => {
  const { COMPRESS_METRICS } = await import('../../src/core/compress/report');
  const { metricInfo } = await import('../../src/core/metrics');
  for (const m of COMPRESS_METRICS) assert.ok(metricInfo(m), m);
  assert.equal(metricInfo('packed_bytes')!.better, 'min');
  assert.equal(metricInfo('compression_ratio')!.better, 'max');
  assert.equal(metricInfo('latency_b256_ms')!.better, 'min');
  assert.deepEqual(metricInfo('test_accuracy_before'), { better: 'max', unit: 'fraction', label: 'test accuracy before compression', part: 'test' });
});
