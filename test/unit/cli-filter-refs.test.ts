// `parent=` and `sweep=` filters take a run or sweep as every other <run> and <sweep> does: a name or a
// unique id prefix (they needed the full id, and anything else matched nothing). One that names nothing
// or several is bad input (exit 2), named, and nothing is removed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone } from '../helpers/cli';
import { fakeRun } from '../helpers/store-fixtures';
import { createRun, listRunIds, writeRunRecord, type NewRun, type RunRecord } from '../../src/core/store';
import { newSweepDir, writeSweepRecord, type SweepRecord } from '../../src/core/sweep/record';
import { resolveReferences } from '../../src/core/filter';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

function run(store: string, over: Partial<NewRun>): string {
  const { record, dir: runDir } = createRun(store, fakeRun(over));
  writeRunRecord(runDir, { ...record, status: 'completed', final: { val_accuracy: 0.9 } });
  return record.id;
}

/** digits-mlp with a compressed child; a sweep `lr-sweep` whose one trial made a run; a run named `other`. */
function store(name: string) {
  const s = join(dir, name);
  const base = run(s, { name: 'digits-mlp' });
  const child = run(s, { name: 'digits-mlp compressed', kind: 'compress', parent: base });
  const { id: sweepId, dir: sweepDir } = newSweepDir(s);
  const trial = run(s, { name: 'digits-mlp trial 0', sweep: { id: sweepId, trial: 0 } });
  writeSweepRecord(sweepDir, { id: sweepId, name: 'lr-sweep', created: new Date().toISOString(), status: 'completed', trials: [] } as unknown as SweepRecord);
  const other = run(s, { name: 'other' });
  return { store: s, base, child, sweepId, trial, other };
}

const ids = (s: string, filter: string): string[] => {
  const r = hone(['ls', '--json', '--store', s, '--filter', filter]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).map((v: { id: string }) => v.id).sort();
};

test('parent= and sweep= take a name or a unique id prefix, as = and !=', () => {
  const s = store('refs');
  for (const ref of ['digits-mlp', s.base.slice(0, -2), s.base]) assert.deepEqual(ids(s.store, `parent=${ref}`), [s.child], ref);
  assert.deepEqual(ids(s.store, 'parent!=digits-mlp'), [s.base, s.trial, s.other].sort());
  for (const ref of ['lr-sweep', s.sweepId.slice(0, -2), s.sweepId]) assert.deepEqual(ids(s.store, `sweep=${ref}`), [s.trial], ref);
});

test('a reference that names nothing or several is exit 2, named; rm --filter then removes nothing', () => {
  const s = store('bad-refs');
  const none = hone(['ls', '--store', s.store, '--filter', 'parent=nosuch']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--filter: parent: no run matches 'nosuch'/);
  const several = hone(['ls', '--store', s.store, '--filter', `parent=${s.base.slice(0, 4)}`]);
  assert.equal(several.code, 2);
  assert.match(several.stderr, new RegExp(`--filter: parent: '${s.base.slice(0, 4)}' matches 4 runs`));
  const sweep = hone(['rm', '--yes', '--store', s.store, '--filter', 'sweep=no-such-sweep']);
  assert.equal(sweep.code, 2);
  assert.match(sweep.stderr, /--filter: sweep: no sweep matches 'no-such-sweep'/);
  assert.equal(listRunIds(s.store).length, 4, 'nothing removed');
  const rm = hone(['rm', '--yes', '--store', s.store, '--filter', 'parent=digits-mlp']);
  assert.equal(rm.code, 0, rm.stderr);
  assert.deepEqual(listRunIds(s.store), [s.base, s.trial, s.other].sort());
});

test('resolveReferences: a value some run records stays as given; other keys and ops are left alone', () => {
  const runs = [{ parent: 'gone-parent-id' }] as unknown as RunRecord[];
  const resolve = (kind: string, ref: string) => `${kind}:${ref}`;
  const clauses = [
    { key: 'parent', op: '=' as const, value: 'gone-parent-id' },
    { key: 'parent', op: '!=' as const, value: 'base' },
    { key: 'sweep', op: '=' as const, value: 'lr' },
    { key: 'parent', op: '~' as const, value: '2026' },
    { key: 'name', op: '=' as const, value: 'base' },
  ];
  assert.deepEqual(resolveReferences(clauses, runs, resolve).map((c) => c.value), ['gone-parent-id', 'run:base', 'sweep:lr', '2026', 'base']);
});
