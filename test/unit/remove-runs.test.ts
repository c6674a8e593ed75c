// Deleting runs and sweeps (core/remove.ts, hone rm) never leaves a link dangling: a live run anywhere in
// what a deletion takes refuses it before anything is removed, a crashed run is not taken for a live one,
// and a sweep takes only the runs it made unless told what to do with the others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone, readJson } from '../helpers/cli';
import { deadPid, fakeRun } from '../helpers/store-fixtures';
import { createRun, thisProcess, writeRunRecord, type RunRecord } from '../../src/core/store';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

/** Adds a run to `store` (completed unless `over` says otherwise) and returns its id. */
function run(store: string, name: string, over: Partial<RunRecord> = {}): string {
  const { record, dir: runDir } = createRun(store, fakeRun({ name, parent: over.parent }));
  writeRunRecord(runDir, { ...record, status: 'completed', ...over });
  return record.id;
}

const exists = (store: string, id: string) => existsSync(join(store, 'runs', id));

test('rm --detach keeps a child whose worker died: it is crashed, not running', () => {
  const store = join(dir, 'crashed-child');
  const p = run(store, 'p');
  const c = run(store, 'c', { parent: p, status: 'running', ...thisProcess(), pid: deadPid(), pidStart: undefined });
  const r = hone(['rm', p, '--detach', '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(exists(store, p), false);
  const kept = readJson(join(store, 'runs', c, 'run.json'));
  assert.deepEqual([kept.status, kept.parent, kept.parentRemoved?.id], ['crashed', undefined, p]);
});
