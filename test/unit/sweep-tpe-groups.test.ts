// TPE's `multivariate: 'auto'` rule: a group of parameters active together is modelled jointly only with at
// least as many good trials (where it is active) as numeric dims, each parameter alone before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createSpace, type Trial } from '../../src/core/sweep';
import type { SweepParameter } from '../../src/core/spec';
import { groupsOf, modelJointly } from '../../src/core/sweep/samplers/tpe';

const floats = (d: number) => Object.fromEntries(Array.from({ length: d }, (_, i): [string, SweepParameter] => [`x${i}`, { type: 'float', min: 0, max: 1, log: false }]));
const trial = (number: number, params: Trial['params']): Trial => ({ number, params, state: 'completed', values: [number], intermediate: {} });
const good = (n: number, d: number) => Array.from({ length: n }, (_, k) => trial(k, Object.fromEntries(Array.from({ length: d }, (_, i) => [`x${i}`, 0.5]))));
/** Each group as its dims' paths, with J for a joint estimator and U for a univariate one. */
const shape = (gs: ReturnType<typeof groupsOf>) => gs.map((g) => `${g.joint ? 'J' : 'U'}:${g.dims.map((d) => d.path).join(',')}`);

test('modelJointly: joint from as many good trials as numeric dims on', () => {
  assert.equal(modelJointly(7, 10), false, '50 trials, gamma 0.15, Levy 10-D: per parameter');
  assert.equal(modelJointly(8, 8), true);
  assert.equal(modelJointly(8, 6), true, '50 trials, Hartmann-6: joint');
  assert.equal(modelJointly(5, 6), false);
  assert.equal(modelJointly(0, 0), true, 'categorical dims only: joint');
});

test('groupsOf: auto splits a 10-D group with 7 good trials and keeps it whole with 10; true and false ignore the count', () => {
  const space = createSpace(floats(10));
  const all = space.dims.map((d) => d.path);
  assert.deepEqual(shape(groupsOf(space, 'auto', good(7, 10))), all.map((p) => `U:${p}`));
  assert.deepEqual(shape(groupsOf(space, 'auto', good(10, 10))), [`J:${all.join(',')}`]);
  assert.deepEqual(shape(groupsOf(space, true, good(1, 10))), [`J:${all.join(',')}`]);
  assert.deepEqual(shape(groupsOf(space, false, good(20, 10))), all.map((p) => `U:${p}`));
});

test('groupsOf: a conditional group counts only the good trials where it is active; categorical dims are not counted', () => {
  const space = createSpace({
    mode: { type: 'categorical', values: ['on', 'off'] },
    a: { type: 'float', min: 0, max: 1, log: false },
    b: { type: 'float', min: 0, max: 1, log: false },
    x: { type: 'float', min: 0, max: 1, log: false, when: { parameter: 'mode', in: ['on'] } },
    y: { type: 'float', min: 0, max: 1, log: false, when: { parameter: 'mode', in: ['on'] } },
    z: { type: 'float', min: 0, max: 1, log: false, when: { parameter: 'mode', in: ['on'] } },
  });
  const on = (k: number) => trial(k, { mode: 'on', a: 0.1, b: 0.2, x: 0.3, y: 0.4, z: 0.5 });
  const off = (k: number) => trial(k, { mode: 'off', a: 0.1, b: 0.2 });
  // 2 good trials: {mode, a, b} has 2 numeric dims (joint); {x, y, z} is active in 1 of them (each alone).
  assert.deepEqual(shape(groupsOf(space, 'auto', [on(0), off(1)])).sort(), ['J:mode,a,b', 'U:x', 'U:y', 'U:z']);
  // 3 good trials where mode is on: {x, y, z} joint too.
  assert.deepEqual(shape(groupsOf(space, 'auto', [on(0), on(1), off(2), on(3)])).sort(), ['J:mode,a,b', 'J:x,y,z']);
});

test('property: auto gives one joint group of all dims iff good trials >= dims, else every dim alone; each dim in exactly one group', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 30 }), (d, n) => {
    const space = createSpace(floats(d));
    const gs = groupsOf(space, 'auto', good(n, d));
    assert.deepEqual(gs.flatMap((g) => g.dims.map((x) => x.path)).sort(), space.dims.map((x) => x.path).sort());
    if (n >= d) assert.deepEqual(gs.map((g) => [g.joint, g.dims.length]), [[true, d]]);
    else assert.ok(gs.length === d && gs.every((g) => !g.joint && g.dims.length === 1));
  }));
});
