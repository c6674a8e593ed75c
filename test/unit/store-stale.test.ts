import { strict as assert } from 'node:assert';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { createRun, isStale, pidAlive, readRunRecord, reconcileRun, writeRunRecord, type RunRecord } from '../../src/core/store';
import { deadPid, fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (s: number): string => new Date(NOW - s * 1000).toISOString();

function rec(over: Partial<RunRecord>): RunRecord {
  return { ...fakeRun(), id: 'r', status: 'running', created: ago(100), host: hostname(), epochsDone: 0, ...over };
}

describe('store: crash detection', () => {
  let store: string;
  let dead: number;
  before(() => ((store = makeTmpDir()), (dead = deadPid())));
  after(() => removeTmpDir(store));

  it('pidAlive: this process yes, an exited one no, never process groups', () => {
    assert.equal(pidAlive(process.pid), true);
    assert.equal(pidAlive(dead), false);
    assert.equal(pidAlive(0), false);
    assert.equal(pidAlive(-1), false);
  });

  it('isStale by pid on this host, by heartbeat age everywhere', () => {
    assert.equal(isStale(rec({ pid: process.pid, heartbeat: ago(5) }), NOW), false);
    assert.equal(isStale(rec({ pid: dead, heartbeat: ago(5) }), NOW), true);
    assert.equal(isStale(rec({ pid: process.pid, heartbeat: ago(31) }), NOW), true);
    assert.equal(isStale(rec({ pid: process.pid, heartbeat: ago(31) }), NOW, 60_000), false);
    // Another host's pid means nothing here: only the heartbeat counts.
    assert.equal(isStale(rec({ host: 'elsewhere', pid: dead, heartbeat: ago(5) }), NOW), false);
    assert.equal(isStale(rec({ host: 'elsewhere', pid: dead, heartbeat: ago(40) }), NOW), true);
    // Without a heartbeat a running run is aged from its start; a queued one waits for its coordinator.
    assert.equal(isStale(rec({ pid: process.pid, started: ago(40) }), NOW), true);
    assert.equal(isStale(rec({ status: 'queued', pid: process.pid }), NOW), false);
    assert.equal(isStale(rec({ status: 'queued', pid: dead }), NOW), true);
    assert.equal(isStale(rec({ status: 'completed', pid: dead, heartbeat: ago(1000) }), NOW), false);
  });

  it('reconcileRun marks a stale run crashed and says why', () => {
    const { record, dir } = createRun(store, fakeRun());
    writeRunRecord(dir, { ...record, status: 'running', pid: dead, heartbeat: new Date().toISOString() });
    const out = reconcileRun(dir);
    assert.equal(out?.status, 'crashed');
    assert.match(out?.message ?? '', new RegExp(`process ${dead} .* is gone`));
    assert.ok(out?.finished);
    assert.deepEqual(readRunRecord(dir), out);

    const live = createRun(store, fakeRun());
    assert.equal(reconcileRun(live.dir)?.status, 'queued');
  });
});
