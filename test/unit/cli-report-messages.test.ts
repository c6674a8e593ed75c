// What `hone report` prints besides the page: a reference that matches several runs gets the full list of
// candidates (not "names no run"), and the summary says which runs the front could not rank, and why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone } from '../helpers/cli';
import { fakeRun } from '../helpers/store-fixtures';
import { createRun, writeRunRecord, type RunRecord } from '../../src/core/store';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

function run(store: string, name: string, final: RunRecord['final']): string {
  const { record, dir: runDir } = createRun(store, fakeRun({ name }));
  writeRunRecord(runDir, { ...record, status: 'completed', final });
  return record.id;
}

test('a reference that matches several runs lists them all, once prefixed', () => {
  const store = join(dir, 'ambiguous');
  const ids = [run(store, 'live', {}), run(store, 'live', {})];
  const r = hone(['report', 'live', '--store', store, '--out', join(dir, 'a.html')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^hone: 'live' matches 2 runs; use a longer id prefix:\n/);
  for (const id of ids) assert.ok(r.stderr.includes(id), r.stderr);
  const none = hone(['report', 'nothing', '--store', store, '--out', join(dir, 'a.html')]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^hone: 'nothing' names no run and no sweep in .*ambiguous \(hone ls lists the runs, hone sweep ls the sweeps\)\n$/);
});

test('the summary names the runs the front left out and the objective each lacks', () => {
  const store = join(dir, 'unranked');
  const ids = [run(store, 'A', { val_accuracy: 0.9, val_loss: 0.3 }), run(store, 'B', { val_accuracy: 0.8, val_loss: 0.2 }), run(store, 'C', { val_loss: 0.1 })];
  const r = hone(['report', ...ids, '--store', store, '--out', join(dir, 'u.html')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /front over val_loss, val_accuracy: A, B; 1 not ranked \(C: no val_accuracy\)\)\n$/);
});
