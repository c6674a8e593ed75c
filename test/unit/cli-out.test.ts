// --out naming a file in a folder that does not exist (or naming a folder) is bad input that says so,
// not a bare ENOENT with exit 1; nothing is written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone } from '../helpers/cli';
import { completedRun } from '../helpers/store-fixtures';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

test('dashboard, report and export: --out in a missing folder, or a folder, is refused naming --out', () => {
  const store = join(dir, 'store');
  const { record } = completedRun(store);
  const missing = join(dir, 'missing', 'x.html');
  mkdirSync(join(dir, 'folder'));
  for (const args of [['dashboard'], ['report', record.id], ['export', record.id, '--format', 'csv']]) {
    const r = hone([...args, '--store', store, '--out', missing]);
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.equal(r.stderr, `hone: --out ${missing}: there is no folder ${join(dir, 'missing')}\n`);
    const f = hone([...args, '--store', store, '--out', join(dir, 'folder')]);
    assert.equal(f.code, 2, `${args[0]}: ${f.stderr}`);
    assert.match(f.stderr, /--out .*folder: that is a folder; give a file name/);
  }
});
