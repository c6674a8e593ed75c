// The launcher's part in who owns a run: a worker that never started marks the run crashed (not queued
// forever), a launcher never overwrites a run that a resume elsewhere took over, and a run queued again
// by a resume carries no heartbeat for other machines to age, nor loses the earlier session's work before it trains.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hone, ROOT } from '../helpers/cli';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { launchRun, queueRun, requestStop } from '../../src/core/runner';
import { applyResume, prepareResume, readCheckpoint, writeCheckpoint } from '../../src/core/resume';
import { appendMetric, readMetrics, readRunRecord, writeRunRecord } from '../../src/core/store';
import { validateSpec, type Spec } from '../../src/core/spec';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const spec = validateSpec({ name: 'owned', data: { source: 'digits' }, model: { type: 'mlp', layers: [8] }, train: { epochs: 2, checkpoint: { every: 1 } } }, { baseDir: process.cwd() }).spec as Spec;
const queued = () => queueRun({ storeDir: join(dir, 'store'), spec, overrides: [] });

test('a worker that cannot be spawned leaves its run crashed, saying why, not queued', async () => {
  const run = queued();
  const real = process.execPath;
  process.execPath = join(dir, 'no-such-node');
  try {
    await assert.rejects(launchRun(join(dir, 'store'), run, { workerPath: join(dir, 'worker.js') }).done, /ENOENT/);
  } finally {
    process.execPath = real;
  }
  const rec = readRunRecord(run.dir)!;
  assert.equal(rec.status, 'crashed');
  assert.match(rec.message!, /^its worker could not start: spawn .*no-such-node ENOENT$/);
});

test('a launcher whose worker ends after a resume elsewhere took the run over leaves the run to its new owner', async () => {
  const run = queued();
  // A worker whose run is taken over while it lives: run.json names another process when it exits.
  const worker = join(dir, 'taken-worker.js');
  writeFileSync(worker, `const fs = require('fs'); const f = process.argv[2] + '/run.json';
const r = JSON.parse(fs.readFileSync(f, 'utf8'));
fs.writeFileSync(f, JSON.stringify({ ...r, status: 'running', pid: 1, host: 'elsewhere', resumed: [{ at: 'now', fromEpoch: 1, was: 'crashed' }] }));
process.exit(4);`);
  const rec = await launchRun(join(dir, 'store'), run, { workerPath: worker }).done;
  assert.equal(rec.status, 'running');
  assert.deepEqual([readRunRecord(run.dir)!.status, readRunRecord(run.dir)!.host], ['running', 'elsewhere'], 'not marked crashed');
});

test('a launcher that cannot read run.json when its worker ends writes nothing from its queued snapshot', async () => {
  const run = queued();
  // A worker that completes, then leaves run.json unreadable (here a folder in its place; in life EMFILE or a sharing error).
  const worker = join(dir, 'unreadable-worker.js');
  writeFileSync(worker, `const fs = require('fs'); const f = process.argv[2] + '/run.json';
fs.rmSync(f); fs.mkdirSync(f);
process.exit(0);`);
  const rec = await launchRun(join(dir, 'store'), run, { workerPath: worker }).done;
  assert.match(rec.message!, /could not be read when its worker ended/);
  assert.ok(statSync(join(run.dir, 'run.json')).isDirectory(), 'nothing written over it');
});

test('on Windows a stop reaches the worker through the stop file, never a signal (there it would end the worker unsaved)', async (t) => {
  // A worker that says which it got: a SIGTERM, or the stop file it polls (as every Hone worker does).
  const worker = join(dir, 'stop-worker.js');
  writeFileSync(worker, `const fs = require('fs'); const d = process.argv[2];
const end = (how) => { const r = JSON.parse(fs.readFileSync(d + '/run.json', 'utf8')); fs.writeFileSync(d + '/run.json', JSON.stringify({ ...r, status: 'stopped', message: how })); process.exit(0); };
process.on('SIGTERM', () => end('signal'));
const r = JSON.parse(fs.readFileSync(d + '/run.json', 'utf8')); fs.writeFileSync(d + '/run.json', JSON.stringify({ ...r, status: 'running', pid: process.pid }));
process.send('up');
setInterval(() => fs.existsSync(d + '/stop') && end('stop file'), 20);`);
  const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
  t.after(() => Object.defineProperty(process, 'platform', platform));
  const stopWith = async (os: string) => {
    const r = queued();
    let up!: () => void;
    const started = new Promise<void>((res) => (up = res));
    const h = launchRun(join(dir, 'store'), r, { workerPath: worker, onMessage: () => up() });
    await started;
    Object.defineProperty(process, 'platform', { ...platform, value: os });
    h.stop();
    Object.defineProperty(process, 'platform', platform);
    return (await h.done).message;
  };
  assert.equal(await stopWith('win32'), 'stop file');
  assert.equal(await stopWith('linux'), 'signal', 'elsewhere the signal, which the worker catches');
});

test('a run queued again by a resume has no heartbeat: it may wait for a slot without other machines declaring it dead', async () => {
  const run = queued();
  writeRunRecord(run.dir, { ...run.record, status: 'stopped', heartbeat: new Date().toISOString(), epochsDone: 1 });
  writeCheckpoint(run.dir, 'last', { epoch: 1, state: {}, arrays: [], spec: run.record.spec });
  const prepared = await prepareResume(join(dir, 'store'), run.record.id);
  assert.equal(prepared.record.status, 'queued');
  assert.equal(readRunRecord(run.dir)!.heartbeat, undefined);
});

test('a resumed run keeps nothing of how its earlier session ended; what it measured goes only once its worker trains', async () => {
  const run = queued();
  const ended = { final: { val_loss: 0.5 }, message: 'killed', robustness: { evaluation: {} } as never, revived: { markedCrashed: 'then', reason: 'late', resumed: 'later' } };
  for (let e = 1; e <= 3; e++) appendMetric(run.dir, { epoch: e, step: e, time: e, lr: 0.1, tensors: 1, metrics: { loss: 1 / e } });
  writeFileSync(join(run.dir, 'compress.json'), '{}');
  writeRunRecord(run.dir, { ...run.record, status: 'crashed', epochsDone: 3, ...ended });
  writeCheckpoint(run.dir, 'last', { epoch: 1, state: {}, arrays: [], spec: run.record.spec });
  const prepared = await prepareResume(join(dir, 'store'), run.record.id);
  assert.equal(prepared.dropped, 2);
  let rec = readRunRecord(run.dir)!;
  assert.deepEqual([rec.status, rec.message, rec.revived], ['queued', undefined, undefined]);
  // Queued, it has lost nothing: stopped or failed before training, it is as it was, and can be resumed again.
  assert.deepEqual([rec.final, rec.epochsDone, readMetrics(run.dir).lines.length, existsSync(join(run.dir, 'compress.json'))], [{ val_loss: 0.5 }, 3, 3, true]);
  const log: string[] = [];
  Object.assign(rec, applyResume(run.dir, rec, (t) => log.push(t)));
  writeRunRecord(run.dir, rec);
  rec = readRunRecord(run.dir)!;
  assert.deepEqual([rec.final, rec.robustness, rec.epochsDone, rec.latest], [undefined, undefined, 1, { loss: 1 }]);
  assert.deepEqual(readMetrics(run.dir).lines.map((l) => l.epoch), [1]);
  assert.equal(existsSync(join(run.dir, 'compress.json')), false);
  assert.match(log.join(), /2 metric line\(s\) after epoch 1 removed/);
});

test('a resume stopped while queued leaves the run as it was: its metric lines and final metrics all kept', async () => {
  const run = queued();
  for (let e = 1; e <= 4; e++) appendMetric(run.dir, { epoch: e, step: e, time: e, lr: 0.1, tensors: 1, metrics: { loss: 1 / e } });
  writeRunRecord(run.dir, { ...run.record, status: 'stopped', epochsDone: 4, final: { loss: 0.25 } });
  writeCheckpoint(run.dir, 'last', { epoch: 2, state: {}, arrays: [], spec: run.record.spec });
  await prepareResume(join(dir, 'store'), run.record.id);
  requestStop(join(dir, 'store'), run.record.id);
  const rec = readRunRecord(run.dir)!;
  assert.equal(rec.status, 'stopped');
  assert.deepEqual([rec.final, rec.epochsDone, readMetrics(run.dir).lines.length], [{ loss: 0.25 }, 4, 4]);
});

test('a worker whose run was marked crashed before it started does not run it: whoever marked it may have replaced it', async () => {
  const run = queued();
  // What a sweep's resume writes when the coordinator that queued the run died while its worker started.
  writeRunRecord(run.dir, { ...run.record, status: 'crashed', message: 'process 1 on this host is gone', finished: new Date().toISOString() });
  const rec = await launchRun(join(dir, 'store'), run, { workerPath: join(ROOT, 'dist', 'worker.js') }).done;
  assert.equal(rec.status, 'crashed');
  assert.equal(readRunRecord(run.dir)!.status, 'crashed');
  assert.equal(readRunRecord(run.dir)!.epochsDone, 0, 'nothing trained');
  assert.match(readFileSync(join(run.dir, 'log.txt'), 'utf8'), /marked crashed \(process 1 on this host is gone\) before its worker started; this worker does not run it/);
});

test('a checkpoint writer that no longer owns its run leaves the checkpoints as they are', () => {
  const runDir = join(dir, 'ckpt');
  const root = join(runDir, 'checkpoints');
  writeCheckpoint(runDir, 'last', { epoch: 1, state: { by: 'new owner' }, arrays: [] });
  const theirs = join(root, '.last.424242.cafe0000.tmp');
  mkdirSync(theirs);
  // No longer the owner from the start: the new owner's write in progress (its temp folder) is not cleared.
  writeCheckpoint(runDir, 'last', { epoch: 2, state: { by: 'old owner' }, arrays: [] }, () => false);
  assert.deepEqual(readdirSync(root).sort(), ['.last.424242.cafe0000.tmp', 'last']);
  // The owner when it starts, not when it would swap (a worker woken mid-write): no swap, nothing of its own left.
  let asked = 0;
  writeCheckpoint(runDir, 'last', { epoch: 3, state: { by: 'old owner' }, arrays: [] }, () => asked++ === 0);
  assert.equal(readCheckpoint(runDir, 'last')!.epoch, 1, 'the new owner\'s checkpoint stays');
  assert.deepEqual(readdirSync(root), ['last']);
});

test('a worker whose spawn throws at once (here: a NUL byte in its path) leaves its run crashed, saying why, not queued', () => {
  const run = queued();
  assert.throws(() => launchRun(join(dir, 'store'), run, { workerPath: join(dir, 'bad\0worker.js') }), /null bytes/);
  const rec = readRunRecord(run.dir)!;
  assert.equal(rec.status, 'crashed');
  assert.match(rec.message ?? '', /^its worker could not start: .*null bytes/);
});

test('hone stop on a run queued by another process (a VS Code window\'s queue): recorded stopped at once, and it never starts', async () => {
  const run = queued();
  const r = hone(['stop', run.record.id, '--store', join(dir, 'store')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `run ${run.record.id}: stopped`);
  const now = readRunRecord(run.dir)!;
  assert.deepEqual([now.status, now.message], ['stopped', 'stopped while queued: it never started'], 'not left queued until its turn');
  let spawned = false;
  const rec = await launchRun(join(dir, 'store'), run, { workerPath: join(dir, 'no-worker.js'), onSpawn: () => (spawned = true) }).done;
  assert.equal(spawned, false);
  assert.deepEqual(rec, now, 'its turn finds it stopped and keeps the record as the request wrote it');
  assert.deepEqual([readRunRecord(run.dir)!.status, readRunRecord(run.dir)!.epochsDone], ['stopped', 0]);
  assert.equal(hone(['stop', run.record.id, '--store', join(dir, 'store')]).code, 2, 'stopped: nothing left to stop');
});
