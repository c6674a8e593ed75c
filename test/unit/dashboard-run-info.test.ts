// A run's duration as the dashboard shows it (Run detail, the runs table's duration column): a resumed
// run counts its training, not the days it was down between its first start and its resume, nor its wait for a slot.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runInfo } from '../../src/core/dashboard/run-info';
import { prepareResume, writeCheckpoint } from '../../src/core/resume';
import { workerStart } from '../../src/core/resume/session';
import { appendMetric, createRun, readRunRecord, writeRunRecord } from '../../src/core/store';
import type { RunRecord } from '../../src/core/store/types';
import { fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const iso = (ms: number) => new Date(ms).toISOString();
const T = Date.parse('2025-03-01T12:00:00Z');
const MIN = 60_000;

describe('dashboard: run duration', () => {
  let dir: string;
  before(() => (dir = makeTmpDir()));
  after(() => removeTmpDir(dir));

  const base = (over: Partial<RunRecord>): RunRecord => ({ ...createRun(join(dir, 'plain'), fakeRun()).record, ...over });

  it('is the worker total once it ended, else from its start to its last heartbeat or end', () => {
    assert.equal(runInfo(base({ status: 'completed', started: iso(T), finished: iso(T + 99 * MIN), timings: { loadMs: 1, trainMs: 2, totalMs: 1234 } })).durationMs, 1234);
    assert.equal(runInfo(base({ status: 'running', started: iso(T), heartbeat: iso(T + 5 * MIN) })).durationMs, 5 * MIN);
    assert.equal(runInfo(base({ status: 'crashed', started: iso(T), finished: iso(T + 7 * MIN), heartbeat: iso(T + 6 * MIN) })).durationMs, 7 * MIN);
    assert.equal(runInfo(base({ status: 'queued' })).durationMs, undefined);
  });

  it('of a resumed run: from its worker\'s start after its last resume (the resume itself in older records) plus the time trained before it, not from its first start', () => {
    const resumed = base({
      status: 'running', started: iso(T), heartbeat: iso(T + 2 * 24 * 60 * MIN + 3 * MIN),
      resumed: [{ at: iso(T + 2 * 24 * 60 * MIN), fromEpoch: 4, was: 'crashed', time: 600 }],
    });
    // Recorded by a Hone from before the worker's start was kept: from the resume.
    assert.equal(runInfo(resumed).durationMs, 13 * MIN);
    // Its worker started 2 minutes after the resume (it waited for a slot): the wait is not training.
    assert.equal(runInfo({ ...resumed, resumed: [{ ...resumed.resumed![0], started: iso(T + 2 * 24 * 60 * MIN + 2 * MIN) }] }).durationMs, 11 * MIN);
    // Stopped while queued, its worker never started: the time trained before the resume.
    const { heartbeat: _h, ...queued } = resumed;
    assert.equal(runInfo({ ...queued, status: 'stopped', finished: iso(T + 2 * 24 * 60 * MIN + 5 * MIN) }).durationMs, 10 * MIN);
    // A resume recorded before the time was: no duration rather than a wrong one.
    assert.equal(runInfo({ ...resumed, resumed: [{ at: iso(T + 2 * 24 * 60 * MIN), fromEpoch: 4, was: 'crashed' }] }).durationMs, undefined);
  });

  it('hone resume records the time trained up to its checkpoint, which the duration then counts', async () => {
    const store = join(dir, 'store');
    const run = createRun(store, fakeRun({ epochsPlanned: 5 }));
    for (let e = 1; e <= 3; e++) appendMetric(run.dir, { epoch: e, step: e * 10, time: e * 200, lr: 0.01, tensors: 1, metrics: { loss: 1 / e } });
    writeRunRecord(run.dir, { ...run.record, status: 'crashed', started: iso(T), finished: iso(T + 11 * MIN), epochsDone: 3 });
    writeCheckpoint(run.dir, 'last', { epoch: 2, state: {}, arrays: [], spec: run.record.spec });
    await prepareResume(store, run.record.id);
    const rec = readRunRecord(run.dir)!;
    assert.equal(rec.resumed?.[0].time, 400, 'the time of epoch 2, the checkpoint\'s');
    // Its worker started 10 s after the resume and has gone on until a minute after it; the first start was long before.
    const at = Date.parse(rec.resumed![0].at);
    assert.equal(runInfo({ ...rec, ...workerStart(rec, iso(at + 10_000)), status: 'running', heartbeat: iso(at + MIN) }).durationMs, 400_000 + MIN - 10_000);
  });
});
