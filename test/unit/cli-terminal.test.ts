// The CLI's status line fits the terminal by columns: wide characters count two, a surrogate pair is
// never split, combining marks take no column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitColumns } from '../../src/cli/terminal';

test('fitColumns cuts by terminal columns, by whole characters', () => {
  assert.equal(fitColumns('abcdef', 4), 'abcd');
  assert.equal(fitColumns('学习率扫描', 5), '学习', 'two columns each: a third would need a sixth column');
  assert.equal(fitColumns('a😀b', 2), 'a', 'the emoji (a surrogate pair, two columns) is not split');
  assert.equal(fitColumns('e\u0301e\u0301', 2), 'e\u0301e\u0301', 'combining accents take no column');
  assert.equal(fitColumns('', 3), '');
});
