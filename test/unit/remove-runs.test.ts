// Deleting runs and sweeps (core/remove.ts, hone rm) never leaves a link dangling: a live run anywhere in
// what a deletion takes refuses it before anything is removed, a crashed run is not taken for a live one,
// and a sweep takes only the runs it made unless told what to do with the others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone, readJson } from '../helpers/cli';
import { deadPid, fakeRun } from '../helpers/store-fixtures';
import { createRun, thisProcess, writeRunRecord, type RunRecord } from '../../src/core/store';
import { newSweepDir, writeSweepRecord } from '../../src/core/sweep/record';
import { PartialRemovalError, removeRuns, sweepRemoval } from '../../src/core/remove';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

/** Adds a run to `store` (completed unless `over` says otherwise) and returns its id. */
function run(store: string, name: string, over: Partial<RunRecord> = {}): string {
  const { record, dir: runDir } = createRun(store, fakeRun({ name, parent: over.parent }));
  writeRunRecord(runDir, { ...record, status: 'completed', ...over });
  return record.id;
}

/** A completed sweep in `store` whose trials made `runIds` (their run.json names the sweep); returns its id and folder. */
function sweep(store: string, runIds: string[]): { id: string; dir: string } {
  const { id, dir: sdir } = newSweepDir(store);
  for (const runId of runIds) {
    const file = join(store, 'runs', runId);
    writeRunRecord(file, { ...readJson(join(file, 'run.json')), sweep: { id, trial: runIds.indexOf(runId) } });
  }
  writeSweepRecord(sdir, {
    id, name: 's', created: new Date().toISOString(), baseDir: dir, raw: {}, epochs: 1, status: 'completed', elapsedMs: 0,
    sweep: { parameters: {}, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }] } as never,
    trials: runIds.map((runId, i) => ({ number: i, params: {}, state: 'completed', values: [0.5], intermediate: {}, epochs: 1, runId })),
  });
  return { id, dir: sdir };
}

const live = () => ({ status: 'running' as const, ...thisProcess() });
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

test('rm --detach of a parent whose run.json is damaged (removed by its folder name) detaches its child, named by its id', () => {
  const store = join(dir, 'damaged-parent');
  const p = run(store, 'p');
  const c = run(store, 'c', { parent: p });
  writeFileSync(join(store, 'runs', p, 'run.json'), '{"truncated');
  const r = hone(['rm', p, '--detach', '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`removed run ${p}\\nkept run ${c}: its parent was removed`));
  assert.equal(exists(store, p), false);
  const kept = readJson(join(store, 'runs', c, 'run.json'));
  assert.deepEqual([kept.parent, kept.parentRemoved?.id, kept.parentRemoved?.name], [undefined, p, p], 'no dangling parent');
});

test('rm --with-children of a parent whose child runs removes nothing: the check comes before the first removal', () => {
  const store = join(dir, 'live-child');
  const p = run(store, 'p');
  const c = run(store, 'c', { parent: p, ...live() });
  const r = hone(['rm', p, '--with-children', '--store', store]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`run ${c} \\(made from ${p}\\) is running \\(pid ${process.pid} on .*\\): stop it first \\(nothing was removed\\)`));
  assert.ok(exists(store, p), 'the parent stays');
  assert.equal(readJson(join(store, 'runs', c, 'run.json')).parent, p);
});

test('removeRuns names every live run among those it was given, and removes none of the others', async () => {
  const store = join(dir, 'live-many');
  const a = run(store, 'a');
  const b = run(store, 'b', live());
  const q = run(store, 'q', { ...live(), status: 'queued' });
  const e = await removeRuns(store, [a, b, q]).then(() => undefined, (x: Error) => x.message);
  assert.match(e ?? '', /^run .*; run .*: stop them first \(nothing was removed\)$/);
  assert.ok(e?.includes(`run ${b} is running (pid ${process.pid}`) && e.includes(`run ${q} is queued`), e);
  assert.ok(exists(store, a));
});

test('a removal that fails partway keeps what it removed consistent and says what that was', async () => {
  const store = join(dir, 'partial');
  const p = run(store, 'p');
  const c = run(store, 'c', { parent: p });
  const s = sweep(store, [p]);
  // A run another process removed between the listing and its turn: removeRun finds no folder.
  const gone = '20200101-000000-000000';
  const e = await removeRuns(store, [p, gone], 'detach').then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof PartialRemovalError, String(e));
  assert.deepEqual([e.done.removed, e.done.detached], [[p], [c]]);
  assert.match(e.message, new RegExp(`^no run '${gone}' .*already removed.*\\(removed before that: ${p}; detached: ${c}\\)$`));
  const kept = readJson(join(store, 'runs', c, 'run.json'));
  assert.deepEqual([kept.parent, kept.parentRemoved?.id], [undefined, p], 'no dangling parent');
  assert.equal(readJson(join(s.dir, 'sweep.json')).trials[0].runDeleted, true, 'the trial is marked');
});

test('removing a lineage deletes children before parents: a failure leaves no run whose parent is gone', async () => {
  const store = join(dir, 'order');
  const p = run(store, 'p');
  const c = run(store, 'c', { parent: p });
  const g = run(store, 'g', { parent: c });
  const r = await removeRuns(store, [p], 'delete');
  assert.deepEqual(r.removed, [g, c, p]);
});

test('rm --sweep takes the runs the sweep made; a run made from a trial is asked about, then kept with --detach', () => {
  const store = join(dir, 'sweep-detach');
  const [t0, t1] = [run(store, 't0'), run(store, 't1')];
  const s = sweep(store, [t0, t1]);
  const x = run(store, 'compressed t0', { parent: t0 });
  const plan = sweepRemoval(store, s.id);
  assert.deepEqual({ ...plan, runs: plan.runs.sort() }, { dir: s.dir, id: s.id, runs: [t0, t1].sort(), others: [x] });
  const asked = hone(['rm', '--sweep', s.id, '--yes', '--store', store]);
  assert.equal(asked.code, 2);
  assert.match(asked.stderr, new RegExp(`1 run\\(s\\) were made from the runs to delete: ${x} \\(compressed t0, from ${t0}\\).*--with-children \\(or --detach`));
  assert.ok(exists(store, t0) && existsSync(s.dir), 'nothing removed without an answer');
  const r = hone(['rm', '--sweep', s.id, '--yes', '--detach', '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`kept run ${x}: its parent was removed[^]*removed sweep ${s.id}`));
  assert.deepEqual([exists(store, t0), exists(store, t1), existsSync(s.dir)], [false, false, false]);
  const kept = readJson(join(store, 'runs', x, 'run.json'));
  assert.deepEqual([kept.parent, kept.parentRemoved?.id], [undefined, t0]);
});

test('rm --sweep asks first, as rm --filter does: without a terminal it refuses unless --yes, and removes nothing', () => {
  const store = join(dir, 'sweep-ask');
  const [t0, t1] = [run(store, 't0'), run(store, 't1')];
  const s = sweep(store, [t0, t1]);
  const r = hone(['rm', '--sweep', s.id, '--store', store]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `hone: Delete sweep ${s.id} and the 2 run(s) it made? Not on a terminal: add --yes to confirm.\n`);
  assert.deepEqual([exists(store, t0), exists(store, t1), existsSync(s.dir)], [true, true, true]);
  const unknown = hone(['rm', '--sweep', 'no-such-sweep', '--store', store]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no sweep matches 'no-such-sweep'/);
});

test('rm --sweep --with-children deletes the runs made from its trials too', () => {
  const store = join(dir, 'sweep-children');
  const t0 = run(store, 't0');
  const s = sweep(store, [t0]);
  const x = run(store, 'compressed t0', { parent: t0 });
  const r = hone(['rm', '--sweep', s.id, '--yes', '--with-children', '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([exists(store, t0), exists(store, x), existsSync(s.dir)], [false, false, false]);
});
