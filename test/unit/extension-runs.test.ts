// The extension's run coordinator without VS Code: real worker processes, a real store. It never runs
// more than hone.maxParallelRuns at once, queued runs are visible in the store as `queued`, and a
// queued run can be stopped before it starts; a sweep's trials wait in the same queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RunManager } from '../../src/extension/runs';
import { runInfo } from '../../src/core/dashboard/run-info';
import { prepareResume } from '../../src/core/resume';
import { listRunIds, readRunRecord, runDirOf } from '../../src/core/store';
import { startSweep } from '../../src/core/sweep';
import { EXEC_WORKER, queueExecRun } from '../../src/core/exec';
import { queueCompress } from '../../src/core/compress/start';
import { validateSpec } from '../../src/core/spec';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { ROOT, digitsSpec, waitFor, writeSpec } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

test('runs beyond maxParallelRuns wait in a queue; a queued run can be stopped', async () => {
  const store = join(dir, 'store');
  const log: string[] = [];
  let maxActive = 0;
  const manager: RunManager = new RunManager({
    storeDir: () => store,
    limit: () => 1,
    workerPath: join(ROOT, 'dist/worker.js'),
    log: { appendLine: (l: string) => log.push(l) } as never,
    onChange: () => (maxActive = Math.max(maxActive, manager.activeCount)),
  });
  const spec = (name: string) => validateSpec(digitsSpec(name, { epochs: 2 }), { baseDir: dir }).spec!;
  const runs = ['q1', 'q2', 'q3'].map((n) => manager.enqueue({ storeDir: store, spec: spec(n), overrides: [] }));
  assert.equal(manager.activeCount, 1);
  assert.equal(manager.queuedCount, 2);
  assert.equal(readRunRecord(runs[2].dir)!.status, 'queued', 'a queued run is in the store at once');
  manager.stop(store, runs[2].record.id);
  assert.equal(readRunRecord(runs[2].dir)!.status, 'stopped');
  await waitFor(() => (manager.activeCount + manager.queuedCount === 0 ? true : undefined), 120_000, 'the queue to drain');
  assert.deepEqual(runs.map((r) => readRunRecord(r.dir)!.status), ['completed', 'completed', 'stopped']);
  assert.equal(maxActive, 1, 'never more than one worker at a time');
  assert.equal(log.filter((l) => /^started worker pid \d+ for run \S+: .*worker\.js/.test(l)).length, 2, 'each process started is logged with its command line');
  assert.equal(log.filter((l) => /exited \(code 0\)/.test(l)).length, 2, 'and its exit');
});

test('a sweep started from VS Code queues its trials with the other runs: never more than maxParallelRuns at once', async () => {
  const store = join(dir, 'sweep-store');
  const log: string[] = [];
  let maxActive = 0;
  const manager: RunManager = new RunManager({
    storeDir: () => store,
    limit: () => 2,
    workerPath: join(ROOT, 'dist/worker.js'),
    log: { appendLine: (l: string) => log.push(l) } as never,
    onChange: () => (maxActive = Math.max(maxActive, manager.activeCount)),
  });
  // One plain run first, then a sweep that asks for 4 trials at once (its own sweep.parallel).
  const plain = manager.enqueue({ storeDir: store, spec: validateSpec(digitsSpec('plain', { epochs: 3 }), { baseDir: dir }).spec!, overrides: [] });
  const specPath = writeSpec(dir, 'queued-sweep', {
    ...digitsSpec('queued-sweep', { epochs: 2 }),
    sweep: { parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1, log: true } }, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], sampler: { type: 'random' }, trials: 4, parallel: 4 },
  });
  // What the store says is running, sampled while the sweep goes: an independent count of live workers.
  let maxRunning = 0;
  const sample = setInterval(() => {
    const running = listRunIds(store).filter((id) => readRunRecord(runDirOf(store, id))?.status === 'running').length;
    maxRunning = Math.max(maxRunning, running);
  }, 50);
  const sweep = startSweep(specPath, {
    storeDir: store, workerPath: join(ROOT, 'dist/worker.js'),
    launchTrial: (o) => {
      const run = manager.enqueue({ storeDir: o.storeDir, spec: o.spec, specPath: o.specPath, overrides: o.overrides, sweep: o.sweep }, { onMessage: (m) => m.type === 'epoch' && o.onLine(m.line), onQueued: (r) => o.onQueued(r.record.id) });
      return { runId: run.record.id, done: run.done, stop: run.stop };
    },
  });
  try {
    const rec = await sweep.done;
    await plain.done;
    assert.equal(rec.status, 'completed');
    assert.deepEqual(rec.trials.map((t) => t.state), ['completed', 'completed', 'completed', 'completed']);
  } finally {
    clearInterval(sample);
  }
  assert.equal(maxActive, 2, 'the run queue never started more than 2 workers');
  assert.ok(maxRunning <= 2, `the store never had more than 2 running runs (${maxRunning})`);
  assert.equal(log.filter((l) => /^started worker pid \d+ for run \S+: /.test(l)).length, 5, 'every trial\'s worker is logged, as any run\'s');
  assert.ok(log.some((l) => /queued run \S+ \(queued-sweep \[.*\]\) as trial 3 of sweep/.test(l)));
});

test('runs a core function recorded (a command as a run, a compress child) wait in the same queue, each started with its own worker', async () => {
  const store = join(dir, 'derived-store');
  let maxActive = 0;
  const manager: RunManager = new RunManager({
    storeDir: () => store,
    limit: () => 1,
    workerPath: join(ROOT, 'dist/worker.js'),
    log: { appendLine: () => undefined } as never,
    onChange: () => (maxActive = Math.max(maxActive, manager.activeCount)),
  });
  const parent = manager.enqueue({ storeDir: store, spec: validateSpec(digitsSpec('parent', { epochs: 2 }), { baseDir: dir }).spec!, overrides: [] });
  const exec = manager.enqueueQueued(store, queueExecRun({ storeDir: store, command: [process.execPath, '-e', 'console.log("hi")'], cwd: dir }), join(ROOT, 'dist', EXEC_WORKER));
  assert.deepEqual([manager.activeCount, manager.queuedCount, readRunRecord(exec.dir)!.status], [1, 1, 'queued'], 'the command waits for the slot');
  await parent.done;
  const child = manager.enqueueQueued(store, queueCompress({ storeDir: store, ref: parent.record.id, sets: ['compress.quantize.bits=8', 'compress.latency.runs=0'] }), join(ROOT, 'dist/worker.js'));
  const [e, c] = await Promise.all([exec.done, child.done]);
  assert.deepEqual([e!.kind, e!.status, c!.kind, c!.status, c!.parent], ['exec', 'completed', 'compress', 'completed', parent.record.id]);
  assert.equal(maxActive, 1, 'never more than one worker at a time, whatever its kind');
});

test('raising maxParallelRuns starts queued runs at once, without waiting for a run to end', async () => {
  const store = join(dir, 'limit-store');
  let limit = 1;
  const manager = new RunManager({ storeDir: () => store, limit: () => limit, workerPath: join(ROOT, 'dist/worker.js'), log: { appendLine: () => undefined } as never, onChange: () => undefined });
  const wait = [process.execPath, '-e', 'setTimeout(() => {}, 1500)'];
  const runs = [0, 1, 2].map(() => manager.enqueueQueued(store, queueExecRun({ storeDir: store, command: wait, cwd: dir }), join(ROOT, 'dist', EXEC_WORKER)));
  assert.deepEqual([manager.activeCount, manager.queuedCount], [1, 2]);
  limit = 3;
  manager.startQueued();
  assert.deepEqual([manager.activeCount, manager.queuedCount], [3, 0], 'the two waiting runs start while the first still runs');
  const ended = await Promise.all(runs.map((r) => r.done));
  assert.deepEqual(ended.map((r) => r!.status), ['completed', 'completed', 'completed']);
});

test('a resumed run that waits for a slot counts its time from its worker\'s start, not from the resume', async () => {
  const store = join(dir, 'resume-store');
  const manager = new RunManager({ storeDir: () => store, limit: () => 1, workerPath: join(ROOT, 'dist/worker.js'), log: { appendLine: () => undefined } as never, onChange: () => undefined });
  const spec = validateSpec(digitsSpec('resumed', { epochs: 40, checkpoint: { every: 1 } }), { baseDir: dir }).spec!;
  const first = manager.enqueue({ storeDir: store, spec, overrides: [] });
  await waitFor(() => (existsSync(join(first.dir, 'checkpoints', 'last')) ? true : undefined), 60_000, 'a first checkpoint');
  first.stop();
  assert.equal((await first.done)!.status, 'stopped');
  // A command holds the only slot for 2 s: the resumed run is queued meanwhile, its worker not started.
  const holder = manager.enqueueQueued(store, queueExecRun({ storeDir: store, command: [process.execPath, '-e', 'setTimeout(() => {}, 2000)'], cwd: dir }), join(ROOT, 'dist', EXEC_WORKER));
  const resumed = manager.enqueueQueued(store, await prepareResume(store, first.record.id), join(ROOT, 'dist/worker.js'));
  assert.equal(manager.queuedCount, 1);
  const freed = Date.parse((await holder.done)!.finished!);
  // While it trains, before its worker's timings: the dashboard's duration (and the runs table's).
  const rec = await waitFor(() => {
    const r = readRunRecord(resumed.dir)!;
    return r.status === 'running' && r.heartbeat ? r : undefined;
  }, 60_000, 'the resumed run training');
  manager.stop(store, rec.id);
  await resumed.done;
  const entry = rec.resumed!.at(-1)!;
  assert.ok(Date.parse(entry.started!) >= freed, `its worker's start is recorded, after the slot was freed (started ${entry.started})`);
  const durationMs = runInfo(rec).durationMs!;
  assert.equal(durationMs, Date.parse(rec.heartbeat!) - Date.parse(entry.started!) + Math.round(entry.time! * 1000));
  assert.ok(durationMs <= Date.parse(rec.heartbeat!) - freed + entry.time! * 1000, `the 2 s in the queue are not counted (${durationMs} ms)`);
});
