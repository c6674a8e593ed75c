// bench/distributed's backlog verdict comes from the waiting-jobs samples, not a fixed "no growth".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backlogLine } from '../../bench/distributed/growth';

test('a backlog that grows by more than a job on average is called growth', () => {
  const line = backlogLine([0, 1, 2, 3, 4, 5, 6, 7]);
  assert.match(line, /mean 1\.5 in the first half, 5\.5 in the second, max 7/);
  assert.match(line, /it grew\*\*: the coordinator falls behind/);
  assert.doesNotMatch(line, /keeps up/);
});

test('a steady backlog of a job or so is no growth', () => {
  assert.match(backlogLine([0, 1, 0, 1, 1, 0, 1, 1]), /no growth: the coordinator keeps up/);
});

test('too few samples say so instead of a verdict', () => {
  const line = backlogLine([3, 9]);
  assert.match(line, /2 samples, too few to tell/);
  assert.doesNotMatch(line, /growth|grew\*\*/);
});
