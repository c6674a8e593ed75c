import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  appendMetric, createRun, readRunRecord, rebuildIndex, syncIndex, syncIndexReport, updateIndexEntry, writeRunRecord,
  type StoreIndex,
} from '../../src/core/store';
import { annotateRun } from '../../src/core/store/annotations';
import { deadPid, fakeMetric, fakeRun, runStoreChild } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const readIndex = (store: string): StoreIndex => JSON.parse(readFileSync(join(store, 'index.json'), 'utf8')) as StoreIndex;

describe('store: index', () => {
  let store: string;
  beforeEach(() => (store = makeTmpDir()));
  afterEach(() => removeTmpDir(store));

  it('4 processes upserting 50 runs each at once lose no entry', async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map((tag) => runStoreChild(['index', store, '50', tag])));
    // Check the raw file before any sync: a sync would hide lost updates by rereading the folders.
    const index = readIndex(store);
    assert.equal(Object.keys(index.runs).length, 200);
    for (const tag of ['a', 'b', 'c', 'd']) assert.equal(index.experiments[`exp-${tag}`].runs, 50);
    assert.equal(existsSync(join(store, 'index.lock')), false, 'lock released');
    assert.equal((await syncIndexReport(store)).rebuilt, false);
  });

  it('syncIndex rebuilds a corrupt index.json with every run', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => createRun(store, fakeRun({ name: `r${i}` })).record.id);
    await syncIndex(store);
    writeFileSync(join(store, 'index.json'), Buffer.from([0x00, 0xff, 0x7b, 0x22, 0x13, 0x80]));
    const report = await syncIndexReport(store);
    assert.equal(report.rebuilt, true);
    assert.deepEqual(report.runs.map((r) => r.id).sort(), ids.sort());
    assert.deepEqual(Object.keys(readIndex(store).runs).sort(), ids.sort());
    assert.equal((await syncIndexReport(store)).rebuilt, false);
  });

  it('a missing index.json is rebuilt; a folder without run.json is skipped', async () => {
    const { record } = createRun(store, fakeRun());
    createRun(store, fakeRun());
    const half = createRun(store, fakeRun());
    rmSync(join(half.dir, 'run.json'));
    const report = await syncIndexReport(store);
    assert.equal(report.rebuilt, true);
    assert.equal(report.runs.length, 2);
    assert.ok(report.runs.some((r) => r.id === record.id));
  });

  it('marks a running run with a dead pid crashed and leaves its metrics alone', async () => {
    const { record, dir } = createRun(store, fakeRun());
    const pid = deadPid();
    writeRunRecord(dir, { ...record, status: 'running', pid, host: hostname(), heartbeat: new Date().toISOString() });
    for (let e = 0; e < 3; e++) appendMetric(dir, fakeMetric(e, { loss: 1 / (e + 1) }));
    const metricsBefore = readFileSync(join(dir, 'metrics.jsonl'));

    const report = await syncIndexReport(store);
    assert.deepEqual(report.reconciled, [record.id]);
    assert.equal(report.runs[0].status, 'crashed');
    const rec = readRunRecord(dir);
    assert.equal(rec?.status, 'crashed');
    assert.match(rec?.message ?? '', /is gone/);
    assert.ok(rec?.finished);
    assert.deepEqual(readFileSync(join(dir, 'metrics.jsonl')), metricsBefore);
  });

  it('refreshes changed runs, drops deleted ones, sorts newest first, counts experiments', async () => {
    const a = createRun(store, fakeRun({ experiment: 'x', specPath: 'x.hone.json' }));
    // Newest first is by `created` (ms), then id: b must be created in a later millisecond than a.
    for (const t = Date.now(); Date.now() <= t;);
    const b = createRun(store, fakeRun({ experiment: 'x' }));
    const c = createRun(store, fakeRun({ experiment: 'y' }));
    await syncIndex(store);
    writeRunRecord(b.dir, { ...b.record, status: 'completed', epochsDone: 3, final: { loss: 0.1 } });
    rmSync(c.dir, { recursive: true });
    const runs = await syncIndex(store);
    assert.deepEqual(runs.map((r) => r.id), [b.record.id, a.record.id]);
    assert.equal(runs[0].status, 'completed');
    assert.deepEqual(runs[0].final, { loss: 0.1 });
    assert.deepEqual(readIndex(store).experiments, { x: { name: 'x', specPath: 'x.hone.json', runs: 2 } });
    assert.deepEqual((await rebuildIndex(store)).map((r) => r.id), [b.record.id, a.record.id]);
  });

  it('updateIndexEntry summarises the files as they are: a tag added since the caller read the record is kept', async () => {
    const { record, dir } = createRun(store, fakeRun());
    await annotateRun(store, record.id, { addTags: ['paper'] });
    // The caller's record, read before the tag, now ended: the entry has the new status and the tag.
    writeRunRecord(dir, { ...record, status: 'completed' });
    await updateIndexEntry(store, { ...record, status: 'completed' });
    assert.deepEqual([readIndex(store).runs[record.id].status, readIndex(store).runs[record.id].tags], ['completed', ['paper']]);
    assert.deepEqual((await syncIndex(store)).find((r) => r.id === record.id)?.tags, ['paper']);
  });

  it('breaks a lock left by a dead process', async () => {
    const { record } = createRun(store, fakeRun());
    // Dated an hour ahead, so its age never lets it be broken: only its dead holder does, else the wait
    // for it times out (10 s) and updateIndexEntry throws. No bound on the wall clock, which load stretches.
    writeFileSync(join(store, 'index.lock'), JSON.stringify({ pid: deadPid(), host: hostname(), time: Date.now() + 3_600_000 }));
    await updateIndexEntry(store, record);
    assert.ok(readIndex(store).runs[record.id]);
    assert.equal(existsSync(join(store, 'index.lock')), false);
  });

  it('breaks a lock older than 10 s even when its holder lives', async () => {
    const { record } = createRun(store, fakeRun());
    const time = Date.now() - 11_000;
    writeFileSync(join(store, 'index.lock'), JSON.stringify({ pid: process.pid, host: hostname(), time }));
    await updateIndexEntry(store, record);
    assert.ok(readIndex(store).runs[record.id]);
  });
});
