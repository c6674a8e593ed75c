// Every malformed spec of the validator's fixtures, fed to the real CLI: exit code 2, the JSON path in
// the message, no stack trace, and nothing written to the store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIGITS, MALFORMED } from '../fixtures/malformed-specs';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone, ROOT } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

test(`hone run rejects all ${MALFORMED.length} malformed specs with exit code 2 and the JSON path`, () => {
  assert.ok(MALFORMED.length >= 30);
  const store = join(dir, 'store');
  MALFORMED.forEach((c, i) => {
    const file = join(dir, `bad-${i}.hone.json`);
    writeFileSync(file, c.text ?? JSON.stringify(c.spec));
    const r = hone(['run', file, '--store', store]);
    assert.equal(r.code, 2, `${c.name}: exit ${r.code}\n${r.stderr}`);
    const where = c.path === '' ? '(root)' : c.path;
    assert.ok(r.stderr.includes(`${file}: ${where}: expected `), `${c.name}: no line for path '${where}' in\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${c.name}: stack trace`);
  });
  assert.ok(!existsSync(join(store, 'runs')), 'no run was created for bad input');
});

test('a JSON syntax error names the line and column', () => {
  const file = join(dir, 'syntax.hone.json');
  writeFileSync(file, '{\n  "name": "x",\n  "seed": 1,,\n}');
  const r = hone(['run', file, '--store', join(dir, 'store')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /line 3/);
});

test('a spec with hundreds of mistakes and a huge name: at most 51 short lines, no stack trace (issue 9)', () => {
  const file = join(dir, 'many.hone.json');
  const keys = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`unknown${i}`, i]));
  writeFileSync(file, JSON.stringify({ ...DIGITS, ...keys, ['n'.repeat(500_000)]: 'v'.repeat(500_000) }));
  const r = hone(['run', file, '--store', join(dir, 'store')]);
  assert.equal(r.code, 2);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 51);
  assert.match(lines[50], /many\.hone\.json: \.\.\. and \d+ more problems$/);
  assert.ok(Math.max(...lines.map((l) => l.length)) < 1300 + file.length);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('arguments and --set a command does not take are refused, exit 2, nothing done', () => {
  const store = join(dir, 'extra');
  const cases: [string[], RegExp][] = [
    [['resume', 'some-run', '--set', 'train.lr=abc'], /hone resume: --set is not taken here \(a resumed run goes on with the spec it started with\)/],
    [['sweep', 'resume', 'some-sweep', '--set', 'train.lr=1'], /hone sweep resume: --set is not taken here/],
    [['sweep', 'a.json', 'b.json'], /hone sweep: unexpected 'b\.json' \(one spec file at a time\)/],
    [['compress', 'some-run', 'f.json', 'extra'], /hone compress: unexpected 'extra'/],
    [['show', 'a', 'b'], /hone show: unexpected 'b'/],
    [['stop', 'a', '--set', 'x=1'], /hone stop: unexpected|hone stop: --set is not taken here/],
  ];
  for (const [args, message] of cases) {
    const r = hone([...args, '--store', store]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.ok(!existsSync(store), 'nothing was written');
  const file = join(dir, 'not-a-store.csv');
  writeFileSync(file, 'a,b\n1,2\n');
  const r = hone(['ls', '--store', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--store .*not-a-store\.csv: expected a store folder \(or a path where one can be made\), found a file/);
});

test('an empty HONE_STORE is unset (the store is ./.hone); an empty --store is bad input', () => {
  const cwd = join(dir, 'cwd');
  mkdirSync(cwd);
  const env = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), 'ls'], { cwd, encoding: 'utf8', env: { ...process.env, HONE_STORE: '' } });
  assert.equal(env.status, 0, env.stderr);
  assert.equal(env.stdout, `no runs in ${join(cwd, '.hone')}\n`, 'the default store, not the current folder');
  const flag = hone(['ls', '--store', ''], cwd);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /^hone: --store: expected a folder, found an empty string$/m);
});

test('options and arguments a command does not take are refused before anything is done', () => {
  const store = join(dir, 'untaken');
  const spec = join(dir, 'never-read.hone.json');
  const cases: [string[], RegExp][] = [
    [['run', spec, '--trials', '5', '--sort', 'x', '--filter', 'y', '--eps', '3', '--out', 'z'], /^hone: hone run: --trials is not taken here \(hone sweep and hone sweep resume take it\)$/m],
    [['run', spec, '--eps', '3'], /hone run: --eps is not taken here \(hone attack takes it\)/],
    [['tag', 'some-run', 'x', '--json'], /hone tag: --json is not taken here/],
    [['dashboard', '--json'], /hone dashboard: --json is not taken here/],
    [['unpack', 'm.hone', '--json'], /hone unpack: --json is not taken here/],
    [['export', 'some-run', '--format', 'csv', '--json'], /hone export: --json is not taken here/],
    [['ls', 'completed'], /hone ls: unexpected 'completed' \(select runs with --filter, e.g. --filter 'status=completed'\)/],
    [['sweep', 'ls', 'x'], /hone sweep ls: unexpected 'x' \(it takes no arguments\)/],
    [['compare', 'a', 'b', '--filter', 'status=failed'], /hone compare: --filter is not taken here \(hone ls and hone rm take it\)/],
  ];
  for (const [args, message] of cases) {
    const r = hone([...args, '--store', store]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.ok(!existsSync(store), 'nothing was written');
  for (const [args, message] of [
    [['data', 'mnist', '--store', store], /hone data: --store is not taken here \(it uses no store; --dir DIR says where MNIST goes\)/],
    [['agent', 'nope', '--queue', 'redis://127.0.0.1:1'], /hone agent: unexpected 'nope' \(expected nothing, or ls\)/],
  ] as [string[], RegExp][]) {
    const r = hone(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('counts take decimal digits only: 0x2, 1e1 and " 2" are refused', () => {
  const store = join(dir, 'counts');
  const cases: [string[], RegExp][] = [
    [['ls', '--limit', '0x2'], /^hone: --limit: expected an integer >= 1, found 0x2$/m],
    [['ls', '--limit', '1e1'], /--limit: expected an integer >= 1, found 1e1/],
    [['ls', '--limit', ' 2'], /--limit: expected an integer >= 1, found " 2"/],
    [['run', 'never-read.hone.json', '--parallel', '0x2'], /--parallel: expected an integer >= 1, found 0x2/],
    [['sweep', 'never-read.hone.json', '--trials', '1e1'], /--trials: expected an integer from 1 to \d+, found 1e1/],
    [['attack', 'some-run', '--points', '0x10'], /--points: expected a whole number in decimal digits, found 0x10/],
  ];
  for (const [args, message] of cases) {
    const r = hone([...args, '--store', store]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.ok(!existsSync(store), 'nothing was written');
  assert.equal(hone(['ls', '--limit', '2', '--store', store]).code, 0);
});
