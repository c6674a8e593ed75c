// Issue 9, hostile stores and terminals, with the real CLI: damaged run.json files, an index that is a
// folder, names that pollute prototypes or carry escape sequences, readers that go away. Each test
// failed before its fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, readJson, ROOT, writeSpec } from '../helpers/cli';
import { syncIndex } from '../../src/core/store';

let dir: string;
let store: string;
let good: string;
before(() => {
  dir = makeTmpDir();
  store = join(dir, 'store');
  assert.equal(hone(['run', writeSpec(dir, 'good', digitsSpec('good', { epochs: 1 })), '--store', store]).code, 0);
  [good] = readdirSync(join(store, 'runs'));
});
after(() => removeTmpDir(dir));

const STACK = /\n\s+at .*\(/;

test('one malformed run.json is skipped with a reason; the other runs still list and show (case 8)', () => {
  const bad = join(store, 'runs', '20240101-000000-bad000');
  mkdirSync(bad);
  writeFileSync(join(bad, 'run.json'), JSON.stringify({ id: 'x', status: 'weird' }));
  const ls = hone(['ls', '--store', store]);
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(ls.stdout, /good/);
  assert.match(ls.stderr, /skipped run 20240101-000000-bad000: run\.json: field 'name' is missing/);
  assert.equal(JSON.parse(hone(['ls', '--store', store, '--json']).stdout).length, 1);
  assert.equal(hone(['show', good, '--store', store]).code, 0);
  const show = hone(['show', '20240101-000000-bad000', '--store', store]);
  assert.equal(show.code, 2);
  assert.match(show.stderr, /run 20240101-000000-bad000 cannot be read: run\.json: field 'name' is missing/);
  writeFileSync(join(bad, 'run.json'), JSON.stringify({ ...readJson(join(store, 'runs', good, 'run.json')), status: 'weird' }));
  assert.match(hone(['ls', '--store', store]).stderr, /status 'weird' is none of queued, running, completed/);
  const rm = hone(['rm', '20240101-000000-bad000', '--store', store]);
  assert.equal(rm.code, 0, 'a damaged run can still be removed by its folder name');
  assert.equal(existsSync(bad), false);
});

test('an index.json that is a folder is moved aside and rebuilt (case 9)', () => {
  rmSync(join(store, 'index.json'));
  mkdirSync(join(store, 'index.json'));
  const ls = hone(['ls', '--store', store, '--json']);
  assert.equal(ls.code, 0, ls.stderr);
  assert.equal(JSON.parse(ls.stdout).length, 1);
  assert.ok(statSync(join(store, 'index.json')).isFile());
  assert.ok(readdirSync(store).some((f) => f.startsWith('index.json.not-a-file-')), 'the folder is kept aside');
});

test('reading a store that does not exist lists nothing and creates nothing (case 10)', () => {
  const missing = join(dir, 'nowhere');
  const ls = hone(['ls', '--store', missing]);
  assert.equal(ls.code, 0);
  assert.match(ls.stdout, /no runs in/);
  assert.equal(existsSync(missing), false);
  const dash = hone(['dashboard', '--store', missing, '--out', join(dir, 'd.html')]);
  assert.equal(dash.code, 2);
  assert.match(dash.stderr, /no store at/);
  assert.equal(existsSync(missing), false);
});

test('escape sequences in names never reach the terminal raw (case 10)', () => {
  const evil = 'evil\u001b]0;owned\u0007\u001b[2J\u009b31m\u202e';
  const s = join(dir, 'evil');
  assert.equal(hone(['run', writeSpec(dir, 'evil', { ...digitsSpec(evil, { epochs: 1 }) }), '--store', s]).code, 0);
  for (const args of [['ls'], ['show', evil], ['ls', '--json']]) {
    const r = hone([...args, '--store', s]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /[\u001b\u0007\u009b\u202e]/, `${args.join(' ')} prints no raw control character`);
    assert.ok((r.stdout).includes('evil\\u001b]0;owned\\u0007'), 'they are shown escaped');
  }
  assert.equal(JSON.parse(hone(['ls', '--json', '--store', s]).stdout)[0].name, evil, 'escaped JSON is the same JSON');
});

test('hone ls | head: a reader that goes away ends the CLI quietly (case 10)', () => {
  // More output than a pipe holds (64 KiB), so the CLI is still writing when head has gone.
  const many = join(dir, 'many');
  for (let i = 0; i < 60; i++) cpSync(join(store, 'runs', good), join(many, 'runs', `${good.slice(0, -6)}${String(i).padStart(6, '0')}`), { recursive: true });
  const r = spawnSync('bash', ['-c', `node ${join(ROOT, 'bin/hone.js')} ls --json --store ${many} | head -c 1`], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.doesNotMatch(r.stderr, /EPIPE|STACK/);
  assert.doesNotMatch(r.stderr, STACK);
});

test('an experiment named __proto__ is an ordinary name: no prototype pollution, the index keeps it (case 6)', async () => {
  const s = join(dir, 'proto');
  assert.equal(hone(['run', writeSpec(dir, 'proto', digitsSpec('__proto__', { epochs: 1 })), '--store', s]).code, 0);
  const runs = await syncIndex(s);
  assert.equal(runs.length, 1);
  assert.equal(({} as Record<string, unknown>).runs, undefined, 'Object.prototype untouched');
  assert.equal(({} as Record<string, unknown>).specPath, undefined);
  const index = readJson(join(s, 'index.json'));
  assert.equal(index.experiments.__proto__.runs, 1);
  assert.match(hone(['ls', '--store', s]).stdout, /__proto__/);
});
