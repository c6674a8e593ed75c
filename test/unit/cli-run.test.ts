// The CLI end to end, as real processes on a real store: run, ls, show, export, rm, exit codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { METRICS_CACHE_FILE, readMetricColumns } from '../../src/core/store';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, honeAsync, readJson, waitFor, writeSpec } from '../helpers/cli';

let dir: string;
let store: string;
before(() => {
  dir = makeTmpDir();
  store = join(dir, 'store');
});
after(() => removeTmpDir(dir));

test('hone run trains, prints a table, and ls/show --json describe the run', () => {
  const spec = writeSpec(dir, 'quick', digitsSpec('quick'));
  const run = hone(['run', spec, '--store', store, '--set', 'train.epochs=2']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /quick \[train\.epochs=2\]: epoch 2\/2 loss=/, 'plain progress lines when not a TTY');
  assert.match(run.stdout, /completed/);
  const ls = JSON.parse(hone(['ls', '--store', store, '--json']).stdout);
  assert.equal(ls.length, 1);
  const [v] = ls;
  for (const key of ['id', 'name', 'status', 'backend', 'metrics', 'modelPath']) assert.ok(key in v, `ls --json lacks ${key}`);
  assert.equal(v.status, 'completed');
  assert.equal(v.epochs, 2);
  assert.ok(['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu', 'webgpu'].includes(v.backend));
  assert.ok(v.metrics.test_accuracy > 0.5);
  assert.ok(existsSync(join(v.modelPath, 'model.json')) && existsSync(join(v.modelPath, 'weights.bin')));
  assert.ok(existsSync(join(dirname(v.modelPath), METRICS_CACHE_FILE)), 'the worker left the metrics cache');
  assert.deepEqual(Array.from(readMetricColumns(dirname(v.modelPath), false).epoch), [1, 2]);
  const show = JSON.parse(hone(['show', v.id.slice(0, 12), '--store', store, '--json']).stdout);
  assert.deepEqual(show.metrics, v.metrics);
  assert.equal(show.spec.train.epochs, 2, 'the spec snapshot holds the override');
  assert.match(hone(['show', v.id, '--store', store]).stdout, /backend\s+\w+ \(/);
});

test('hone export writes every epoch as CSV and JSON; rm deletes the run', () => {
  const [v] = JSON.parse(hone(['ls', '--store', store, '--json']).stdout);
  const csv = hone(['export', v.id, '--format', 'csv', '--store', store]).stdout.trim().split('\n');
  assert.match(csv[0], /^epoch,step,time,lr,.*val_loss/);
  assert.equal(csv.length, 3);
  const json = JSON.parse(hone(['export', v.id, '--format', 'json', '--store', store]).stdout);
  assert.equal(json.metrics.length, 2);
  assert.equal(hone(['export', v.id, '--format', 'xml', '--store', store]).code, 2);
  assert.equal(hone(['rm', v.id, '--store', store]).code, 0);
  assert.deepEqual(JSON.parse(hone(['ls', '--store', store, '--json']).stdout), []);
});

test('bad input exits 2 with a precise message and no stack trace', () => {
  const cases: [string[], RegExp][] = [
    [['run', join(dir, 'missing.hone.json')], /missing\.hone\.json/],
    [['run'], /at least one spec/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['show', 'nope'], /nope/],
    [['run', writeSpec(dir, 'ok', digitsSpec('ok')), '--set', 'train.lr'], /--set/],
    [['run', writeSpec(dir, 'ok2', digitsSpec('ok2')), '--set', 'train.lr=-1'], /train\.lr/],
    [['run', writeSpec(dir, 'ok3', digitsSpec('ok3')), '--parallel', 'two'], /--parallel/],
    [['export', 'x', '--format', 'csv', '--bogus'], /bogus/],
  ];
  for (const [args, message] of cases) {
    const r = hone([...args, '--store', store]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('hone backend ls lists every backend with a reason', () => {
  const r = hone(['backend', 'ls', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { name: string; ok: boolean; detail: string }[];
  assert.deepEqual(rows.map((x) => x.name), ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
  assert.ok(rows.find((x) => x.name === 'cpu')!.ok);
  for (const row of rows.filter((x) => !x.ok)) assert.match(row.detail, /not installed|lacks|could not|self-test/);
});

test('Ctrl-C during hone run a b c --parallel 1 stops the running run and starts no other', async () => {
  const s = join(dir, 'interrupted');
  const specs = ['i0', 'i1', 'i2'].map((n) => writeSpec(dir, n, digitsSpec(n, { epochs: 500, batchSize: 16 })));
  const p = honeAsync(['run', ...specs, '--parallel', '1', '--store', s]);
  const runs = join(s, 'runs');
  const first = await waitFor(() => (existsSync(runs) && readdirSync(runs).length ? join(runs, readdirSync(runs)[0]) : undefined), 30_000, 'the first run');
  await waitFor(() => (existsSync(join(first, 'metrics.jsonl')) ? true : undefined), 60_000, 'an epoch');
  p.child.kill('SIGINT');
  const r = await p.result;
  assert.equal(r.code, 1, r.stderr);
  assert.equal(readdirSync(runs).length, 1, 'no other run was started');
  assert.equal(readJson(join(first, 'run.json')).status, 'stopped');
  for (const f of specs.slice(1)) assert.ok(r.stdout.includes(`${f}: not started (the command was stopped)`), r.stdout);
});
