// `hone import tensorboard` end to end through the built CLI, on event files written by the independent
// reference writer (test/helpers/tb-writer.ts): TF2 tensor scalars in train/, TF1 simple values in
// validation/ (two files), hparams, histograms to skip; then corruption, re-import and bad input.
// Scalars stored as float32 (simple_value, DT_FLOAT) are written as the shortest decimal that reads back
// to the same float32 (0.9f -> 0.9); doubles (DT_DOUBLE) are kept exactly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone, readJson, ROOT } from '../helpers/cli';
import {
  event, eventFile, frame, hparamsValue, histoValue, histogramTensorValue, metadata, referenceMaskedCrc, scalarTensor,
  simpleValue, tensorValue,
} from '../helpers/tb-writer';

const T0 = 1700000000;
const TRAIN = 'events.out.tfevents.1700000000.host.11.v2';
const VAL1 = 'events.out.tfevents.1700000000.host.12.v2';
const VAL2 = 'events.out.tfevents.1700000100.host.12.v2';

const scalar = (tag: string, t: Buffer, first: boolean) => tensorValue(tag, t, first ? metadata('scalars') : undefined);
const trainEvents = [
  event({ wallTime: T0 + 0.25, values: [hparamsValue({ lr: 0.01, optimizer: 'adam', dropout: true })] }),
  event({
    wallTime: T0 + 1.5, step: 0, values: [
      scalar('epoch_loss', scalarTensor(0.9, 'float', 'content'), true),
      scalar('epoch_accuracy', scalarTensor(0.5, 'float', 'packed'), true),
      scalar('epoch_learning_rate', scalarTensor(0.01, 'double', 'content'), true),
      histogramTensorValue('dense/kernel'),
    ],
  }),
  event({
    wallTime: T0 + 2.5, step: 1, values: [
      scalar('epoch_loss', scalarTensor(0.6, 'float', 'content'), false),
      scalar('epoch_accuracy', scalarTensor(0.75, 'float', 'unpacked'), false),
      scalar('epoch_learning_rate', scalarTensor(0.005, 'double', 'content'), false),
      histogramTensorValue('dense/kernel'),
    ],
  }),
  event({
    wallTime: T0 + 4, step: 2, values: [
      scalar('epoch_loss', scalarTensor(0.45, 'float', 'content'), false),
      scalar('epoch_accuracy', scalarTensor(0.7, 'float', 'content'), false),
      scalar('examples', scalarTensor(600, 'int64', 'packed'), true),
    ],
  }),
];
const val1Events = [
  event({ wallTime: T0 + 1.75, step: 0, values: [simpleValue('loss', 1.1), simpleValue('accuracy', 0.4), histoValue('w')] }),
  event({ wallTime: T0 + 2.75, step: 1, values: [simpleValue('loss', 0.8), simpleValue('accuracy', 0.6)] }),
];
const val2Events = [event({ wallTime: T0 + 3.5, step: 2, values: [simpleValue('loss', 0.85), simpleValue('accuracy', 0.65)] })];

let dir: string;
let logs: string;

function writeLogdir(root: string): void {
  mkdirSync(join(root, 'train'), { recursive: true });
  mkdirSync(join(root, 'validation'), { recursive: true });
  mkdirSync(join(root, 'notes'), { recursive: true });
  writeFileSync(join(root, 'train', TRAIN), eventFile(T0, trainEvents));
  writeFileSync(join(root, 'validation', VAL1), eventFile(T0 + 0.5, val1Events));
  writeFileSync(join(root, 'validation', VAL2), eventFile(T0 + 3, val2Events));
  // A profiler placeholder (no summaries; TensorBoard skips it too) and a folder without event files.
  writeFileSync(join(root, 'validation', 'events.out.tfevents.1700000200.host.profile-empty'), '');
  writeFileSync(join(root, 'notes', 'README.txt'), 'not a run');
}

before(() => {
  dir = makeTmpDir();
  logs = join(dir, 'logs');
  writeLogdir(logs);
});
after(() => removeTmpDir(dir));

const lines = (runDir: string) => readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const runDirs = (store: string) => (existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')).map((id) => join(store, 'runs', id)) : []);
const byName = (store: string): Record<string, string> => Object.fromEntries(runDirs(store).map((d) => [readJson(join(d, 'run.json')).name, d]));
const iso = (s: number) => new Date(s * 1000).toISOString();

test('imports one run per event-file folder, with exact scalars, hparams and times', () => {
  const store = join(dir, 'store');
  const r = hone(['import', 'tensorboard', logs, '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^train: imported as \d{8}-\d{6}-[0-9a-f]{6} \(4 tags, 3 steps, 2 non-scalar values skipped\)$/m);
  assert.match(r.stdout, /^validation: imported as \S+ \(2 tags, 3 steps, 1 non-scalar value skipped\)$/m);
  assert.match(r.stdout, /^2 runs imported into experiment 'logs'$/m);
  const runs = byName(store);
  assert.deepEqual(Object.keys(runs).sort(), ['train', 'validation']);

  const train = readJson(join(runs.train, 'run.json'));
  assert.equal(train.kind, 'import');
  assert.equal(train.experiment, 'logs');
  assert.equal(train.status, 'completed');
  assert.deepEqual(train.spec, {
    name: 'train', params: { lr: 0.01, optimizer: 'adam', dropout: true }, source: { format: 'tensorboard', path: join(logs, 'train') },
  });
  assert.deepEqual([train.created, train.started, train.finished], [iso(T0), iso(T0), iso(T0 + 4)]);
  assert.deepEqual([train.epochsDone, train.epochsPlanned], [3, 3]);
  assert.equal(train.versions.eventFile, 'brain.Event:2');
  assert.equal(train.pid, undefined);
  // Provenance: the import's command, folder and machine; no git state (the code that trained it is not known).
  assert.ok(train.provenance.command.join(' ').endsWith(`hone.js import tensorboard ${logs} --store ${store}`), train.provenance.command.join(' '));
  assert.equal(train.provenance.cwd, ROOT);
  assert.equal(train.provenance.machine.host, hostname());
  assert.equal(train.provenance.git, undefined);
  assert.deepEqual(train.final, { epoch_loss: 0.45, epoch_accuracy: 0.7, epoch_learning_rate: 0.005, examples: 600 });
  // Accuracies are maximised, everything else minimised (higherIsBetter), the learning rate included.
  assert.deepEqual(train.best, { epoch_loss: 0.45, epoch_accuracy: 0.75 }, 'tags without a known direction get no best');
  assert.deepEqual(lines(runs.train), [
    { epoch: 1, step: 0, time: 1.5, lr: 0.01, metrics: { epoch_loss: 0.9, epoch_accuracy: 0.5, epoch_learning_rate: 0.01 }, tensors: 0 },
    { epoch: 2, step: 1, time: 2.5, lr: 0.005, metrics: { epoch_loss: 0.6, epoch_accuracy: 0.75, epoch_learning_rate: 0.005 }, tensors: 0 },
    { epoch: 3, step: 2, time: 4, lr: 0.005, metrics: { epoch_loss: 0.45, epoch_accuracy: 0.7, examples: 600 }, tensors: 0 },
  ]);
  assert.deepEqual(readJson(join(runs.train, 'import.json')), {
    format: 'tensorboard', path: join(logs, 'train'), files: [{ name: TRAIN, size: eventFile(T0, trainEvents).length }],
  });

  const val = readJson(join(runs.validation, 'run.json'));
  assert.deepEqual(val.spec.params, {});
  assert.deepEqual([val.created, val.finished], [iso(T0 + 0.5), iso(T0 + 3.5)]);
  assert.deepEqual(val.final, { loss: 0.85, accuracy: 0.65 });
  assert.deepEqual(val.best, { loss: 0.8, accuracy: 0.65 });
  // No learning-rate tag: lr is NaN (written "NaN", as store/numbers.ts writes non-finite numbers), not an invented 0.
  assert.deepEqual(lines(runs.validation), [
    { epoch: 1, step: 0, time: 1.25, lr: 'NaN', metrics: { loss: 1.1, accuracy: 0.4 }, tensors: 0 },
    { epoch: 2, step: 1, time: 2.25, lr: 'NaN', metrics: { loss: 0.8, accuracy: 0.6 }, tensors: 0 },
    { epoch: 3, step: 2, time: 3, lr: 'NaN', metrics: { loss: 0.85, accuracy: 0.65 }, tensors: 0 },
  ]);
  assert.deepEqual(readJson(join(runs.validation, 'import.json')).files.map((f: { name: string }) => f.name), [VAL1, VAL2]);
});

test('hone ls and hone show list the imported runs', () => {
  const store = join(dir, 'store');
  const ls = JSON.parse(hone(['ls', '--store', store, '--json']).stdout);
  assert.deepEqual(ls.map((v: { name: string; experiment: string; status: string }) => `${v.experiment}/${v.name} ${v.status}`).sort(),
    ['logs/train completed', 'logs/validation completed']);
  const table = hone(['ls', '--store', store]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^logs$/m);
  assert.match(table.stdout, /validation\s+completed\s+3\/3/);
  const show = hone(['show', 'validation', '--store', store]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /status\s+completed: imported from TensorBoard: 2 scalar tags over 3 steps/);
  assert.match(show.stdout, /^loss\s+0\.8500\s+0\.8000$/m);
  assert.match(show.stdout, /^accuracy\s+0\.6500\s+0\.6500$/m);
  assert.match(show.stdout, new RegExp(`${VAL2} \\(\\d+ bytes\\)`), 'the log names the files read');
  assert.match(show.stdout, /command {2}\S+ \S+hone\.js import tensorboard/, 'provenance recorded, not "a run made before Hone recorded it"');
  assert.match(show.stdout, /code {5}not known: imported from logs, its code was not tracked/);
  assert.match(show.stdout, /machine {2}\(imported on\) /);
});

test('importing the same logdir again skips its runs; --force imports them again; --name sets the experiment', () => {
  const store = join(dir, 'store');
  const ids: Record<string, string> = Object.fromEntries(Object.entries(byName(store)).map(([n, d]) => [n, readJson(join(d, 'run.json')).id]));
  const again = hone(['import', 'tensorboard', logs, '--store', store]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`^train: skipped \\(already imported as ${ids.train}\\)$`, 'm'));
  assert.match(again.stdout, new RegExp(`^validation: skipped \\(already imported as ${ids.validation}\\)$`, 'm'));
  assert.match(again.stdout, /^0 runs imported into experiment 'logs', 2 skipped$/m);
  assert.equal(runDirs(store).length, 2);

  const forced = hone(['import', 'tensorboard', logs, '--store', store, '--force', '--name', 'baseline', '--json']);
  assert.equal(forced.code, 0, forced.stderr);
  const report = JSON.parse(forced.stdout);
  assert.equal(report.experiment, 'baseline');
  assert.deepEqual(report.runs.map((r: { name: string; outcome: string; tags: number; steps: number }) => [r.name, r.outcome, r.tags, r.steps]),
    [['train', 'imported', 4, 3], ['validation', 'imported', 2, 3]]);
  assert.equal(runDirs(store).length, 4);
  assert.equal(readJson(join(store, 'runs', report.runs[0].id, 'run.json')).experiment, 'baseline');
  const index = readJson(join(store, 'index.json'));
  assert.equal(Object.keys(index.runs).length, 4, 'every imported run is in the index');
});

test('a run folder that grew since its import replaces that import, keeping its tags, note and star', () => {
  const grown = join(dir, 'grown');
  writeLogdir(grown);
  const store = join(dir, 'store-grown');
  assert.equal(hone(['import', 'tensorboard', grown, '--store', store]).code, 0);
  const before = Object.fromEntries(Object.entries(byName(store)).map(([n, d]) => [n, readJson(join(d, 'run.json')).id as string]));
  assert.equal(hone(['tag', 'validation', 'live', 'tb', '--store', store]).code, 0);
  assert.equal(hone(['note', 'validation', 'imported while training', '--store', store]).code, 0);
  assert.equal(hone(['star', 'validation', '--store', store]).code, 0);
  writeFileSync(join(grown, 'validation', VAL2), eventFile(T0 + 3, [...val2Events, event({ wallTime: T0 + 5, step: 3, values: [simpleValue('loss', 0.5)] })]));

  const r = hone(['import', 'tensorboard', grown, '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^train: skipped \\(already imported as ${before.train}\\)$`, 'm'));
  const m = r.stdout.match(new RegExp(`^validation: re-imported as (\\S+) \\(2 tags, 4 steps, was 3; replaces ${before.validation}, 1 non-scalar value skipped\\)$`, 'm'));
  assert.ok(m, r.stdout);
  assert.match(r.stdout, /^1 run imported into experiment 'grown' \(1 replacing an earlier import\), 1 skipped$/m);
  assert.deepEqual(runDirs(store).map((d) => readJson(join(d, 'run.json')).id).sort(), [before.train, m[1]].sort(), 'the earlier import is gone');
  const show = hone(['show', 'validation', '--store', store]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /re-imported from TensorBoard: 2 scalar tags over 4 steps, was 3/);
  assert.match(show.stdout, new RegExp(`replaces the earlier import ${before.validation} \\(3 steps\\)`));
  const [listed] = JSON.parse(hone(['ls', '--store', store, '--json', '--filter', 'tag=live']).stdout);
  assert.deepEqual([listed.id, listed.tags, listed.starred, listed.epochs], [m[1], ['live', 'tb'], true, 4]);
  assert.deepEqual(readJson(join(store, 'runs', m[1], 'meta.json')), { tags: ['live', 'tb'], note: 'imported while training', starred: true });
  assert.equal(Object.keys(readJson(join(store, 'index.json')).runs).length, 2);

  // Imported again unchanged: skipped, as the new import.
  assert.match(hone(['import', 'tensorboard', grown, '--store', store]).stdout, new RegExp(`^validation: skipped \\(already imported as ${m[1]}\\)$`, 'm'));
});

test('a corrupt byte is reported with file and offset; the records before it, other files and runs still import', () => {
  const bad = join(dir, 'bad');
  writeLogdir(bad);
  // Flip one byte inside the data of validation's third record (its step-1 event).
  const file = join(bad, 'validation', VAL1);
  const bytes = eventFile(T0 + 0.5, val1Events);
  const offset = frame(event({ wallTime: T0 + 0.5, fileVersion: 'brain.Event:2' })).length + frame(val1Events[0]).length;
  const dataLen = val1Events[1].length;
  bytes[offset + 12 + 3] ^= 0x40;
  writeFileSync(file, bytes);
  const stored = bytes.readUInt32LE(offset + 12 + dataLen);
  const computed = referenceMaskedCrc(bytes.subarray(offset + 12, offset + 12 + dataLen));
  const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
  // A run whose only file is bad from its first record: nothing of it may reach the store.
  mkdirSync(join(bad, 'broken'));
  const broken = eventFile(T0, val2Events);
  broken[2] ^= 0x01;
  writeFileSync(join(bad, 'broken', 'events.out.tfevents.1.host'), broken);

  const store = join(dir, 'store-bad');
  const r = hone(['import', 'tensorboard', bad, '--store', store]);
  assert.equal(r.code, 1, 'a corrupt file exits 1');
  const errors = r.stderr.trim().split('\n');
  assert.equal(errors.length, 2, r.stderr);
  assert.match(errors[0], /^hone: broken\/events\.out\.tfevents\.1\.host: record at byte 0: length CRC mismatch \(expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}\)$/);
  assert.equal(errors[1], `hone: validation/${VAL1}: record at byte ${offset}: data CRC mismatch (expected ${hex(stored)}, found ${hex(computed)})`);
  assert.match(r.stdout, /^broken: nothing imported \(no scalars; 1 problem\)$/m);
  assert.match(r.stdout, /^2 runs imported into experiment 'bad', 1 without scalars; 2 problems \(see above\): exit code 1$/m);

  const runs = byName(store);
  assert.deepEqual(Object.keys(runs).sort(), ['train', 'validation'], 'no folder for the broken run');
  assert.equal(lines(runs.train).length, 3);
  assert.deepEqual(lines(runs.validation).map((l) => [l.step, l.metrics.loss]), [[0, 1.1], [2, 0.85]], 'step 0 before the bad record, step 2 from the next file');
  assert.match(readJson(join(runs.validation, 'run.json')).message, /; not all read: validation\/.*data CRC mismatch/);
});

test('a file cut mid-record keeps the records before the cut', () => {
  const cut = join(dir, 'cut');
  mkdirSync(cut);
  const bytes = eventFile(T0, val1Events);
  writeFileSync(join(cut, 'events.out.tfevents.9.host'), bytes.subarray(0, bytes.length - 2));
  const store = join(dir, 'store-cut');
  const r = hone(['import', 'tensorboard', cut, '--store', store, '--json']);
  assert.equal(r.code, 1);
  const offset = bytes.length - frame(val1Events[1]).length;
  assert.match(r.stderr, new RegExp(`^hone: events\\.out\\.tfevents\\.9\\.host: record at byte ${offset}: truncated: `));
  const [run] = JSON.parse(r.stdout).runs;
  assert.deepEqual([run.name, run.outcome, run.steps], ['cut', 'imported', 1], 'files at the logdir root: the run is named after the logdir');
});

test('files at the logdir root and a subfolder named like the logdir are two runs with two names: the root one is \'.\', as in TensorBoard', () => {
  const twin = join(dir, 'twin');
  mkdirSync(join(twin, 'twin'), { recursive: true });
  writeFileSync(join(twin, 'events.out.tfevents.1.host'), eventFile(T0, val1Events));
  writeFileSync(join(twin, 'twin', 'events.out.tfevents.2.host'), eventFile(T0, val2Events));
  const store = join(dir, 'store-twin');
  const r = hone(['import', 'tensorboard', twin, '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\.: imported as \S+ \(2 tags, 2 steps, 1 non-scalar value skipped\)$/m);
  assert.match(r.stdout, /^twin: imported as \S+ \(2 tags, 1 step\)$/m);
  const runs = byName(store);
  assert.deepEqual(Object.keys(runs).sort(), ['.', 'twin']);
  assert.equal(lines(runs['.']).length, 2);
  assert.equal(lines(runs.twin).length, 1);
});

test('a dangling event-file symlink is skipped and reported; the run\'s other files and the other runs import', () => {
  const links = join(dir, 'links');
  writeLogdir(links);
  const gone = join(dir, 'no-such-target');
  symlinkSync(gone, join(links, 'validation', 'events.out.tfevents.1700000300.host.12.v2'));
  mkdirSync(join(links, 'only-link'));
  symlinkSync(gone, join(links, 'only-link', 'events.out.tfevents.1.host'));
  const store = join(dir, 'store-links');
  const r = hone(['import', 'tensorboard', links, '--store', store]);
  assert.equal(r.code, 1, 'a file that could not be read exits 1');
  assert.equal(r.stderr, [
    `hone: only-link/events.out.tfevents.1.host: skipped: a symlink to ${gone}, which does not exist`,
    `hone: validation/events.out.tfevents.1700000300.host.12.v2: skipped: a symlink to ${gone}, which does not exist`, '',
  ].join('\n'));
  assert.match(r.stdout, /^only-link: nothing imported \(no scalars; 1 problem\)$/m);
  assert.match(r.stdout, /^validation: imported as \S+ \(2 tags, 3 steps, 1 non-scalar value skipped\)$/m);
  assert.match(r.stdout, /^2 runs imported into experiment 'links', 1 without scalars; 2 problems \(see above\): exit code 1$/m);
  const runs = byName(store);
  assert.deepEqual(readJson(join(runs.validation, 'import.json')).files.map((f: { name: string }) => f.name), [VAL1, VAL2]);
  assert.match(readJson(join(runs.validation, 'run.json')).message, /; not all read: validation\/\S+: skipped: a symlink to /);
});

test('a tag named __proto__ is imported like any other, and read back by hone ls and hone show', () => {
  const odd = join(dir, 'odd');
  mkdirSync(join(odd, 'run'), { recursive: true });
  writeFileSync(join(odd, 'run', 'events.out.tfevents.1.host'), eventFile(T0, [
    event({ wallTime: T0 + 1, step: 1, values: [simpleValue('__proto__', 0.5), simpleValue('loss', 1)] }),
    event({ wallTime: T0 + 2, step: 2, values: [simpleValue('__proto__', 0.25), simpleValue('constructor', 4)] }),
  ]));
  const store = join(dir, 'store-odd');
  const r = hone(['import', 'tensorboard', odd, '--store', store]);
  assert.match(r.stdout, /^run: imported as \S+ \(3 tags, 2 steps\)$/m);
  const { run } = byName(store);
  assert.equal(JSON.stringify(readJson(join(run, 'run.json')).final), '{"__proto__":0.25,"loss":1,"constructor":4}');
  assert.deepEqual(lines(run).map((l) => JSON.stringify(l.metrics)), ['{"__proto__":0.5,"loss":1}', '{"__proto__":0.25,"constructor":4}']);
  const [listed] = JSON.parse(hone(['ls', '--store', store, '--json']).stdout);
  assert.equal(JSON.stringify(listed.metrics), '{"__proto__":0.25,"loss":1,"constructor":4}');
  assert.match(hone(['show', 'run', '--store', store]).stdout, /^__proto__\s+0\.2500\s*$/m);
});

test('bad input exits 2 with a clear message', () => {
  const store = join(dir, 'store-none');
  const missing = hone(['import', 'tensorboard', join(dir, 'nope'), '--store', store]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^hone: no such folder: .*nope$/m);
  const empty = join(dir, 'empty');
  mkdirSync(join(empty, 'sub'), { recursive: true });
  const none = hone(['import', 'tensorboard', empty, '--store', store]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no TensorBoard event files \(events\.out\.tfevents\.\*\) under .*empty/);
  const file = hone(['import', 'tensorboard', join(logs, 'train', TRAIN), '--store', store]);
  assert.equal(file.code, 2);
  assert.match(file.stderr, /is not a folder/);
  assert.equal(hone(['import', 'wandb', logs]).code, 2);
  assert.equal(hone(['import', 'tensorboard']).code, 2);
  assert.equal(hone(['import', 'tensorboard', logs, '--store', store, '--name', ' ']).code, 2);
  assert.equal(existsSync(store), false, 'nothing written');
});
