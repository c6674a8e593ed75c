import { strict as assert } from 'node:assert';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import {
  createRun, isStale, liveNote, pidAlive, processInfo, readRunRecord, reconcileRun, staleReason, writeRunRecord, type RunRecord,
} from '../../src/core/store';
import { psInfo } from '../../src/core/store/process';
import { deadPid, fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const sleepMs = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
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

  it('ps (macOS, BSD) gives one start time for a process whatever the reader\'s time zone and language', (t) => {
    const tz = process.env.TZ;
    const lang = process.env.LC_ALL;
    t.after(() => {
      if (tz === undefined) delete process.env.TZ; else process.env.TZ = tz;
      if (lang === undefined) delete process.env.LC_ALL; else process.env.LC_ALL = lang;
    });
    const starts = ['UTC', 'America/New_York', 'Asia/Kolkata'].map((zone) => {
      process.env.TZ = zone;
      process.env.LC_ALL = zone === 'UTC' ? 'C' : 'fr_FR.UTF-8';
      return psInfo(process.pid)?.start;
    });
    if (starts[0] === undefined) return t.skip('no ps on this machine');
    assert.match(starts[0], /^\w{3}\s+\w{3}\s+\d+\s+[\d:]+\s+\d{4}$/);
    assert.deepEqual(starts, [starts[0], starts[0], starts[0]]);
  });

  it('on this host the process decides: alive (even paused, heartbeat long stale) is alive; gone or reused is dead', () => {
    const id = '20240501-120000-abcdef';
    const worker = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', `/store/runs/${id}`], { stdio: 'ignore' });
    try {
      const pid = worker.pid!;
      const start = processInfo(pid)?.start;
      const mine = (over: Partial<RunRecord>) => rec({ id, pid, pidStart: start, ...over });
      assert.equal(isStale(mine({ heartbeat: ago(5) }), NOW), false);
      assert.equal(isStale(mine({ heartbeat: ago(3600) }), NOW), false, 'a live worker is not declared dead for a stale heartbeat');
      process.kill(pid, 'SIGSTOP');
      for (const end = Date.now() + 5000; processInfo(pid)?.state !== 'stopped' && Date.now() < end;) sleepMs(5);
      assert.equal(processInfo(pid)?.state, 'stopped');
      assert.equal(isStale(mine({ heartbeat: ago(3600) }), NOW), false, 'nor when it is paused');
      assert.match(liveNote(mine({ heartbeat: ago(3600) }), NOW) ?? '', new RegExp(`paused: process ${pid} is stopped`));
      process.kill(pid, 'SIGCONT');
      // Its pid is no identity alone: another start time (the pid was reused) or a command line without
      // the run's id is another process, so the run is dead.
      assert.equal(isStale(mine({ pidStart: `${start}0` }), NOW), true);
      assert.equal(isStale(mine({ pidStart: undefined }), NOW), false, 'without a start time, the id on its command line');
      assert.equal(isStale(mine({ pidStart: undefined, id: '20240501-120000-000000' }), NOW), true);
      assert.match(staleReason(mine({ pidStart: `${start}0` }), NOW) ?? '', new RegExp(`process ${pid} on .* is gone`));
    } finally {
      worker.kill('SIGKILL');
    }
    assert.equal(isStale(rec({ pid: dead, heartbeat: ago(5) }), NOW), true);
    // Another host's pid means nothing here: only the heartbeat counts.
    assert.equal(isStale(rec({ host: 'elsewhere', pid: dead, heartbeat: ago(5) }), NOW), false);
    assert.equal(isStale(rec({ host: 'elsewhere', pid: dead, heartbeat: ago(40) }), NOW), true);
    assert.equal(isStale(rec({ host: 'elsewhere', pid: dead, heartbeat: ago(40) }), NOW, 60_000), false);
    // Without a heartbeat a remote running run is aged from its start; a queued one waits for its coordinator,
    // judged here by pid and start time (its command line is the CLI's, not the run's).
    assert.equal(isStale(rec({ host: 'elsewhere', started: ago(40) }), NOW), true);
    assert.equal(isStale(rec({ status: 'queued', pid: process.pid, pidStart: processInfo(process.pid)?.start }), NOW), false);
    assert.equal(isStale(rec({ status: 'queued', pid: dead }), NOW), true);
    assert.equal(isStale(rec({ status: 'completed', pid: dead, heartbeat: ago(1000) }), NOW), false);
  });

  it('reconcileRun marks a stale run crashed and says why', () => {
    const { record, dir } = createRun(store, fakeRun());
    writeRunRecord(dir, { ...record, status: 'running', pid: dead, heartbeat: new Date().toISOString() });
    const out = reconcileRun(dir);
    assert.equal(out?.status, 'crashed');
    assert.equal(out?.message, `process ${dead} on ${hostname()} is gone`, 'said once, not "crashed: crashed:"');
    assert.ok(out?.finished);
    assert.deepEqual(readRunRecord(dir), out);

    const live = createRun(store, fakeRun());
    assert.equal(reconcileRun(live.dir)?.status, 'queued');
  });
});
