// hone star <run...> resolves every reference before it changes anything: one bad reference stars nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone } from '../helpers/cli';
import { completedRun } from '../helpers/store-fixtures';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

test('hone star <good> <missing>: exit 2 and the good run is not starred', () => {
  const store = join(dir, 'store');
  const { record, dir: runDir } = completedRun(store);
  const r = hone(['star', record.id, 'no-such-run', '--store', store]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no run matches 'no-such-run'/);
  assert.equal(r.stdout, '', 'nothing reported as done');
  assert.ok(!existsSync(join(runDir, 'meta.json')), 'no annotation written');
  assert.equal(hone(['star', record.id, '--store', store]).code, 0);
  assert.ok(existsSync(join(runDir, 'meta.json')));
});
