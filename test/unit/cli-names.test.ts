// Names, messages and paths with newlines or tabs stay on their line in tables and one-line fields, so a
// run name cannot fake rows of `hone ls`; a note, meant to span lines, keeps its lines in `hone show`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone } from '../helpers/cli';
import { fakeRun } from '../helpers/store-fixtures';
import { createRun, writeRunRecord } from '../../src/core/store';
import { table } from '../../src/cli/format';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const FAKE_ROW = '20990101-000000-aaaaaa  trusted  completed';

test('table: a cell with a newline or tab is one cell on one line, aligned by what it shows', () => {
  assert.equal(table(['name', 'n'], [['a\nb', '1'], ['c\td', '22']]), 'name  n\n----  --\na\\nb   1\nc\\td  22');
});

test('hone ls, show, compare and tag keep a run\'s newlines and tabs on its line', () => {
  const store = join(dir, 'store');
  const make = (name: string, experiment: string) => {
    const { record, dir: runDir } = createRun(store, fakeRun({ name, experiment }));
    writeRunRecord(runDir, { ...record, status: 'failed', message: 'bad\nthing', final: { loss: 1 } });
    return record.id;
  };
  const evil = make(`x\n${FAKE_ROW}\tz`, 'exp\nfake heading');
  const plain = make('plain', 'exp\nfake heading');
  assert.equal(hone(['note', evil, 'first line\nsecond line', '--store', store]).code, 0);

  const ls = hone(['ls', '--store', store]);
  assert.equal(ls.code, 0, ls.stderr);
  const lines = ls.stdout.split('\n');
  assert.ok(lines.includes('exp\\nfake heading'), ls.stdout);
  assert.ok(!lines.some((l) => l.startsWith(FAKE_ROW) || l === 'fake heading'), ls.stdout);
  assert.ok(lines.some((l) => l.startsWith(`${evil}  x\\n${FAKE_ROW}\\tz  failed`)), ls.stdout);

  const show = hone(['show', evil, '--store', store]).stdout;
  assert.match(show, new RegExp(`^run {7}${evil} {2}x\\\\n${FAKE_ROW}\\\\tz$`, 'm'));
  assert.match(show, /^status {4}failed: bad\\nthing$/m);
  assert.match(show, /^note {6}first line\n {10}second line$/m, 'the note keeps its lines');

  const compare = hone(['compare', evil, plain, '--store', store]).stdout;
  assert.ok(!compare.split('\n').some((l) => l.startsWith(FAKE_ROW)), compare);
  const tag = hone(['tag', evil, 'k', '--store', store]).stdout;
  assert.equal(tag.split('\n').filter(Boolean).length, 1, tag);
});
