import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPEC_SCHEMA } from '../../src/core/spec';

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

test('schema: closed objects everywhere, so typos are caught', () => {
  const open: string[] = [];
  for (const [at, node] of walk(SPEC_SCHEMA)) {
    if (node.properties && !node.oneOf && node.additionalProperties !== false && !at.endsWith('/properties')) open.push(at);
  }
  assert.deepEqual(open, []);
});
