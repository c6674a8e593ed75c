// Averaging of the server's iterates (engine/federated/iterate-average.ts) on hand-computed cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IterateAverage, meanOf } from '../../src/engine/federated/iterate-average';

const f = (...xs: number[]) => Float32Array.from(xs);

test('meanOf: element by element, and refuses vectors of different lengths', () => {
  assert.deepEqual(meanOf([f(1, 2), f(3, 6)]), f(2, 4));
  assert.deepEqual(meanOf([f(1, -1, 0.5)]), f(1, -1, 0.5));
  assert.throws(() => meanOf([f(1), f(1, 2)]), /vectors of 1, 2 weights/);
  assert.throws(() => meanOf([]), /no vectors/);
});

test('IterateAverage: the mean of the last `window` models pushed (fewer at first), copies kept, window 1 the model itself', () => {
  const a = new IterateAverage({ window: 3 });
  const x = f(3, 0);
  assert.deepEqual(a.push(x), f(3, 0));
  x[0] = 100; // the caller's vector changes in place after each round: the kept copy does not
  assert.deepEqual(a.push(f(6, 3)), f(4.5, 1.5));
  assert.deepEqual(a.push(f(9, 6)), f(6, 3));
  assert.deepEqual(a.push(f(12, 9)), f(9, 6), 'the first model has left the window');
  const one = new IterateAverage({ window: 1 });
  const y = f(1, 2);
  assert.equal(one.push(y), y);
  assert.throws(() => new IterateAverage({ window: 0 }), /expected an integer >= 1/);
});
