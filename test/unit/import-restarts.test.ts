// Restarts and re-runs into one TensorBoard run folder: the points an earlier attempt wrote from the restart
// step on are dropped, as TensorBoard's event_accumulator purges orphaned data (SessionLog START, and a tag's
// step going back), and the import says how many and why. Event files come from the reference writer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEvent, findRuns, readRun, toMetricLines } from '../../src/core/import';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone, readJson } from '../helpers/cli';
import { event, eventFile, SESSION, simpleValue } from '../helpers/tb-writer';

const T0 = 1700000000;
let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

/** A logdir `name` holding one run folder `run` with the given event files (name -> bytes). */
function logdir(name: string, files: Record<string, Buffer>): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'run'), { recursive: true });
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(root, 'run', file), bytes);
  return root;
}
const read = (root: string) => readRun(findRuns(root)[0], root);

// PyTorch's SummaryWriter: one tag per event, no SessionLog; the script run a second time into the same folder.
const pytorch = (wall: number, steps: number[], value: (s: number) => number) =>
  eventFile(wall, steps.flatMap((s) => [
    event({ wallTime: wall + s + 1, step: s, values: [simpleValue('val_loss', value(s))] }),
    event({ wallTime: wall + s + 1, step: s, values: [simpleValue('loss', value(s) * 2)] }),
  ]));
const RUN1 = 'events.out.tfevents.1700000000.host.1.0';
const RUN2 = 'events.out.tfevents.1700000100.host.2.0';
const rerun = () => ({
  [RUN1]: pytorch(T0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], (s) => 1 - s / 10),
  [RUN2]: pytorch(T0 + 100, [0, 1, 2, 3], () => 5),
});

test('decodeEvent reads a SessionLog START, and only START', () => {
  assert.equal(decodeEvent(event({ wallTime: 1, step: 301, sessionLog: SESSION.start })).sessionStart, true);
  assert.equal(decodeEvent(event({ wallTime: 1, step: 301, sessionLog: SESSION.checkpoint })).sessionStart, undefined);
  assert.equal(decodeEvent(event({ wallTime: 1, step: 301 })).sessionStart, undefined);
});

test('a script run again into the same folder: the second run replaces the first from the step it went back to', () => {
  const root = logdir('rerun', rerun());
  const data = read(root);
  assert.equal(data.purgedPoints, 20);
  assert.deepEqual(data.purged, [`run/${RUN2}: steps went back to 0 (from 9) for val_loss, loss: dropped 20 earlier points`]);
  assert.equal(data.firstWall, T0 + 100, 'the run starts with the file of its earliest kept point');
  const c = toMetricLines(data.points, data.firstWall);
  assert.deepEqual(c.lines.map((l) => [l.step, l.time, l.metrics.val_loss]), [[0, 1, 5], [1, 2, 5], [2, 3, 5], [3, 4, 5]]);
  assert.equal(c.final.val_loss, 5);
});

test('a TF1 restart from a checkpoint: SessionLog START at step 301 drops the orphaned later steps of every tag', () => {
  const loss = (step: number, v: number) => event({ wallTime: T0 + step, step, values: [simpleValue('loss', v)] });
  const root = logdir('restart', {
    'events.out.tfevents.1700000000.host': eventFile(T0, [
      event({ wallTime: T0, step: 0, sessionLog: SESSION.start }),
      loss(100, 0.9), loss(200, 0.8), loss(300, 0.7), loss(500, 1),
    ]),
    // No step goes back here: only the START tells that step 500 belongs to the attempt that crashed.
    'events.out.tfevents.1700001000.host': eventFile(T0 + 1000, [
      event({ wallTime: T0 + 1000, step: 301, sessionLog: SESSION.start }),
      event({ wallTime: T0 + 1600, step: 600, values: [simpleValue('loss', 0.4)] }),
    ]),
  });
  const data = read(root);
  assert.deepEqual(data.purged, ['run/events.out.tfevents.1700001000.host: restart at step 301: dropped 1 earlier point at steps 301 to 500']);
  assert.equal(data.firstWall, T0, 'the run still began with the first attempt');
  const c = toMetricLines(data.points, data.firstWall);
  assert.deepEqual(c.lines.map((l) => [l.step, l.metrics.loss]), [[100, 0.9], [200, 0.8], [300, 0.7], [600, 0.4]]);
  assert.equal(c.final.loss, 0.4);
});

test('a point at a step already written replaces it without a purge; a START before any point drops nothing', () => {
  const root = logdir('same-step', {
    'events.out.tfevents.1.host': eventFile(T0, [
      event({ wallTime: T0, step: 0, sessionLog: SESSION.start }),
      event({ wallTime: T0 + 1, step: 1, values: [simpleValue('loss', 2)] }),
      event({ wallTime: T0 + 2, step: 1, values: [simpleValue('loss', 1)] }),
    ]),
  });
  const data = read(root);
  assert.deepEqual([data.purged, data.purgedPoints, data.firstWall], [[], 0, T0]);
  assert.deepEqual(data.points.map((p) => [p.step, p.value]), [[1, 1]]);
});

test('hone import reports the dropped points on stderr, in the run line, the message and log.txt; exit 0', () => {
  const root = logdir('rerun-cli', rerun());
  const store = join(dir, 'store');
  const r = hone(['import', 'tensorboard', root, '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  const note = `run/${RUN2}: steps went back to 0 (from 9) for val_loss, loss: dropped 20 earlier points`;
  assert.equal(r.stderr, `hone: ${note}\n`);
  assert.match(r.stdout, /^run: imported as \S+ \(2 tags, 4 steps; 20 stale points dropped, see above\)$/m);
  const [id] = readdirSync(join(store, 'runs'));
  const rec = readJson(join(store, 'runs', id, 'run.json'));
  assert.deepEqual(rec.final, { val_loss: 5, loss: 10 });
  assert.equal(rec.epochsDone, 4);
  assert.equal(rec.created, new Date((T0 + 100) * 1000).toISOString());
  assert.equal(rec.message, `imported from TensorBoard: 2 scalar tags over 4 steps; 20 stale points dropped (${note})`);
  assert.match(readFileSync(join(store, 'runs', id, 'log.txt'), 'utf8'), new RegExp(`^stale points: ${note.replace(/[.()]/g, '\\$&')}$`, 'm'));
});
