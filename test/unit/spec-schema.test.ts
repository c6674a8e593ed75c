import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPEC_SCHEMA } from '../../src/core/spec';
import { LIMITS } from '../../src/core/spec/limits';
import { isPenalized } from '../../src/engine/train/objective';

type Node = Record<string, any>;

/** Every subschema reachable from `node`, with its JSON pointer. */
function* walk(node: unknown, at = '#'): Generator<[string, Node]> {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* walk(node[i], `${at}/${i}`);
    return;
  }
  yield [at, node as Node];
  for (const [k, v] of Object.entries(node)) if (k !== 'default' && k !== 'enum' && k !== 'const') yield* walk(v, `${at}/${k}`);
}

const resolveRef = (ref: string): Node => ref.slice(2).split('/').reduce<any>((o, k) => o[k], SPEC_SCHEMA);

test('schema: every property has a description (itself or through its $ref), for editor hovers', () => {
  const undocumented: string[] = [];
  for (const [at, node] of walk(SPEC_SCHEMA)) {
    if (!node.properties || typeof node.properties !== 'object' || at.endsWith('/properties')) continue;
    for (const [name, prop] of Object.entries<Node>(node.properties)) {
      const doc = prop.description ?? (prop.$ref ? resolveRef(prop.$ref).description : undefined);
      if (typeof doc !== 'string' || doc === '') undocumented.push(`${at}/properties/${name}`);
    }
  }
  assert.deepEqual(undocumented, []);
});

test("schema: mnist's split says what it does: the t10k images are the test part, train:val divides the rest", () => {
  const schema = SPEC_SCHEMA as Node;
  const mnist = schema.properties.data.oneOf.find((b: Node) => b.properties.source.const === 'mnist');
  assert.match(mnist.properties.split.description, /test part is always the 10,000 t10k images, whatever `test` says: `train` and `val` divide the training images \(60,000, or `limit`\) in the ratio train:val/);
  assert.match(schema.definitions.split.properties.test.description, /Not used for mnist/);
});

test("schema: adamw's decay and a layers list's activations are described as the engine applies them", () => {
  const schema = SPEC_SCHEMA as Node;
  const train = schema.properties.train.properties;
  assert.match(train.weightDecay.description, /kernels of dense and conv layers, and biases only with `regularizeBias`, unlike PyTorch's AdamW/);
  assert.match(train.regularizeBias.description, /adamw's `weightDecay`, to biases too/);
  // What they say: decay (and the penalty) marks kernels, and biases only on request.
  assert.deepEqual([isPenalized('dense_Dense1/kernel', false), isPenalized('dense_Dense1/bias', false), isPenalized('dense_Dense1/bias', true)], [true, false, true]);
  for (const type of ['dense', 'conv2d']) {
    const layer = schema.definitions.layer.oneOf.find((b: Node) => b.properties.type.const === type);
    assert.match(layer.properties.activation.description, /`linear` \(none\) when absent/, type);
  }
});

test('schema: closed objects everywhere, so typos are caught', () => {
  const open: string[] = [];
  for (const [at, node] of walk(SPEC_SCHEMA)) {
    if (node.properties && !node.oneOf && node.additionalProperties !== false && !at.endsWith('/properties')) open.push(at);
  }
  assert.deepEqual(open, []);
});

test('schema: every number is bounded on both sides, every array and string has a maximum length (issue 9)', () => {
  const unbounded: string[] = [];
  for (const [at, node] of walk(SPEC_SCHEMA)) {
    const types: unknown[] = Array.isArray(node.type) ? node.type : [node.type];
    if (types.includes('number') || types.includes('integer')) {
      if (node.minimum === undefined && node.exclusiveMinimum === undefined) unbounded.push(`${at} (no minimum)`);
      if (node.maximum === undefined && node.exclusiveMaximum === undefined) unbounded.push(`${at} (no maximum)`);
    }
    if (types.includes('array') && node.maxItems === undefined) unbounded.push(`${at} (no maxItems)`);
    if (types.includes('string') && node.maxLength === undefined) unbounded.push(`${at} (no maxLength)`);
  }
  assert.deepEqual(unbounded, []);
});

test('schema: counts are integers, and the maxima the checks also use agree with LIMITS', () => {
  const COUNTS = new Set(['seed', 'samples', 'features', 'informative', 'classes', 'limit', 'epochs', 'batchSize', 'patience', 'stepEpochs', 'warmupEpochs',
    'units', 'filters', 'kernelSize', 'pool', 'poolSize', 'strides', 'trials', 'parallel', 'points', 'startupTrials', 'candidates', 'minEpochs', 'eta']);
  const notInteger: string[] = [];
  let maxItems = 0;
  for (const [at, node] of walk(SPEC_SCHEMA)) {
    for (const [name, prop] of Object.entries<Node>(node.properties ?? {})) {
      const p = prop.$ref ? resolveRef(prop.$ref) : prop;
      if (COUNTS.has(name) && p.type !== 'integer' && p.items?.type !== 'integer') notInteger.push(`${at}/properties/${name}`);
    }
    maxItems = Math.max(maxItems, node.maxItems ?? 0, node.maxProperties ?? 0);
  }
  assert.deepEqual(notInteger, []);
  assert.equal(maxItems, LIMITS.entries, 'no array or object the schema allows is cut short by the size rule');
  const data = (SPEC_SCHEMA.properties as Node).data.oneOf as Node[];
  assert.equal(data.find((b) => b.properties.source.const === 'classification')!.properties.classes.maximum, LIMITS.classes);
  assert.equal((SPEC_SCHEMA.properties as Node).sweep.properties.trials.maximum, LIMITS.gridCombinations);
  assert.equal((SPEC_SCHEMA.properties as Node).sweep.properties.parallel.maximum, LIMITS.sweepParallel);
});
