// Issue 9, data files: a named pipe never blocks a check, a loader or the CLI; every read error names the
// file; messages quote file content only as short escaped snippets; and a CSV that would fail to load is
// bad input reported before anything starts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { MNIST_FILES, validateSpec, type SpecProblem } from '../../src/core/spec';
import { loadCsv, loadMnist, readDataFile, readDataPrefix, scanCsv } from '../../src/engine/data';
import { REGRESSION } from '../fixtures/malformed-specs';
import { ROOT } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { writeTinyMnist } from '../helpers/tiny-mnist';

let dir: string;
before(() => (dir = makeTmpDir('hone-data-files-')));
after(() => removeTmpDir(dir));

const fifoSkip = process.platform === 'win32' ? 'named pipes are a POSIX feature' : false;
const put = (name: string, content: string | Buffer): string => {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
};
const fifo = (name: string): string => {
  const file = join(dir, name);
  execFileSync('mkfifo', [file]);
  return file;
};
const csvSpec = (path: string, target: string | number = 'y') => ({ ...REGRESSION, data: { source: 'csv', path, target } });
const check = (spec: unknown): SpecProblem[] => validateSpec(spec, { baseDir: dir }).problems;

/** Runs `code` in a fresh process: a read that blocks would hang this one, so it is killed after 20 s instead. */
function inChild(code: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('a named pipe as the CSV: the check says so, the loader refuses it at once', { skip: fifoSkip }, () => {
  const pipe = fifo('data.csv');
  assert.deepEqual(check(csvSpec('data.csv')), [
    { path: 'data.path', expected: 'an existing CSV file (a regular file)', found: `a named pipe (FIFO) at ${pipe}`, kind: 'check' },
  ]);
  const r = inChild(`try { require('./src/engine/data').loadCsv(${JSON.stringify(pipe)}, 0) } catch (e) { console.log(e.message) }`);
  assert.equal(r.status, 0, `the loader blocked or crashed: ${r.out}`);
  assert.equal(r.out.trim(), `data.path: expected a regular file, found a named pipe (FIFO) at ${pipe}`);
});

test('a named pipe in the MNIST folder or as the spec file: reported, never read', { skip: fifoSkip }, () => {
  const mnist = writeTinyMnist(join(dir, 'mnist'));
  const labels = join(mnist, MNIST_FILES[3]);
  renameSync(labels, `${labels}.bak`);
  execFileSync('mkfifo', [labels]);
  const spec = { ...REGRESSION, data: { source: 'mnist', path: 'mnist' }, model: { type: 'linear' } };
  assert.deepEqual(check(spec).map((p) => p.found), [`${mnist} ${MNIST_FILES[3]} is a named pipe (FIFO)`]);
  const loaded = inChild(`try { require('./src/engine/data').loadMnist(${JSON.stringify(mnist)}) } catch (e) { console.log(e.message) }`);
  assert.equal(loaded.status, 0, loaded.out);
  assert.match(loaded.out, /expected a regular file, found a named pipe \(FIFO\) at .*t10k-labels-idx1-ubyte\.gz/);
  const specPipe = fifo('pipe.hone.json');
  const read = inChild(`console.log(JSON.stringify(require('./src/core/spec').loadSpecFile(${JSON.stringify(specPipe)}).problems))`);
  assert.equal(read.status, 0, read.out);
  assert.deepEqual(JSON.parse(read.out), [{ path: '', expected: 'a readable spec file', found: `a named pipe (FIFO) at ${specPipe}` }]);
});

test('hone run on a spec whose CSV is a named pipe: exit 2 at once, nothing stored', { skip: fifoSkip }, () => {
  assert.ok(existsSync(join(ROOT, 'dist/cli.js')), 'build first: node scripts/build.mjs');
  fifo('pipe.csv');
  const spec = put('run-pipe.hone.json', JSON.stringify(csvSpec('pipe.csv')));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), 'run', spec, '--store', join(dir, 'store')], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /data\.path: expected an existing CSV file \(a regular file\), found a named pipe/);
  assert.ok(!existsSync(join(dir, 'store', 'runs')));
});

test('every read error names the file: a truncated .csv.gz, a corrupt IDX .gz, a gzip bomb', () => {
  const rows = Array.from({ length: 2000 }, () => randomBytes(6).readUInt32BE(0) + ',' + (randomBytes(1)[0] % 3)).join('\n');
  const gz = gzipSync(`a,y\n${rows}\n`);
  const cut = put('cut.csv.gz', gz.subarray(0, gz.length >> 1));
  assert.throws(() => loadCsv(cut, 'y'), { message: `data.path: expected a complete gzip file, found ${cut}, which ends early (unexpected end of file)` });
  assert.deepEqual(check(csvSpec('cut.csv.gz')).map((p) => [p.path, p.found]), [['data.path', `${cut}, which ends early (unexpected end of file)`]]);

  const mnist = writeTinyMnist(join(dir, 'bad-mnist'));
  writeFileSync(join(mnist, MNIST_FILES[0]), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
  assert.throws(() => loadMnist(mnist), (e: Error) => e.message.includes(join(mnist, MNIST_FILES[0])));

  const bomb = put('bomb.gz', gzipSync(Buffer.alloc(1_000_000)));
  assert.throws(() => readDataFile(bomb, 2 ** 18), { message: `data.path: expected a file of at most 0.25 MiB once decompressed, found more in ${bomb}` });
  const prefix = readDataPrefix(bomb, 2 ** 18);
  assert.deepEqual([prefix.bytes.length <= 2 ** 18, prefix.bytes.length > 0, prefix.complete], [true, true, false]);
});

test('messages quote file content only as short escaped snippets: a header names at most 8 columns', () => {
  const secret = put('passwd', 'root:x:0:0:SECRET-0123456789abcdefghijklmnopqrstuvwxyz:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin\n');
  const [p] = check(csvSpec(secret));
  assert.equal(p.path, 'data.target');
  assert.equal(p.expected, `a column of ${secret}: "root:x:0:0:SECRET-012345..."`);
  assert.throws(() => loadCsv(secret, 'y'), (e: Error) => !e.message.includes('abcdefghij') && e.message.includes(secret));
  const wide = put('wide.csv', `${Array.from({ length: 30 }, (_, i) => `column-${i}`).join(',')}\n${new Array(30).fill(1).join(',')}\n`);
  assert.match(check(csvSpec(wide, 'nope'))[0].expected, /"column-7", \.\.\. \(22 more\)$/);
  const cell = put('cell.csv', `a,y\n${'z'.repeat(10_000)},1\n2,0\n`);
  assert.equal(check(csvSpec(cell))[0].found, `"${'z'.repeat(24)}..." at line 2, column 1 ("a") of ${cell}`);
});

test('bad cells are bad input before anything starts: text, empty, NaN; a target beyond 1000 classes', () => {
  for (const [cell, shown] of [['abc', '"abc"'], ['', '""'], ['NaN', '"NaN"'], ['Infinity', '"Infinity"']]) {
    const file = put('cells.csv', `a,b,y\n${Array.from({ length: 12 }, (_, i) => (i === 10 ? `1,${cell},0` : `${i},${i},${i % 2}`)).join('\n')}\n`);
    assert.deepEqual(check(csvSpec('cells.csv')), [{
      path: 'data.path',
      expected: 'numeric cells in every feature column (decimal or exponent notation, within float32\'s +-3.4e38)',
      found: `${shown} at line 12, column 2 ("b") of ${file}`,
      kind: 'check',
    }]);
  }
  put('labels.csv', `x,y\n${Array.from({ length: 1500 }, (_, i) => `${i},c${i}`).join('\n')}\n`);
  assert.deepEqual(check(csvSpec('labels.csv')).map((p) => [p.path, p.expected]), [
    ['data.target', 'a target with at most 1000 classes (set data.task to "regression" for a numeric target)'],
  ]);
});

test('the scan rule: a file within the limit is read whole; of a larger one, its first rows', () => {
  const file = put('long.csv', `a,y\n${Array.from({ length: 200 }, (_, i) => `${i},${i % 2}`).join('\n')}\nabc,1\n`);
  assert.equal(scanCsv(file, 'y', 'classification', 100).part.n > 0, true, 'the bad last row lies beyond the first 100 bytes');
  // Of a larger file the first rows cannot settle a numeric target's task: 0/1 there, more values further down.
  assert.throws(() => scanCsv(file, 'y', undefined, 100), /^Error: data\.task: expected "classification" or "regression": .*long\.csv is longer than the 100 bytes a spec check reads, and its first rows hold 2 integer target values/);
  const words = put('words.csv', `a,y\n${Array.from({ length: 200 }, (_, i) => `${i},${i % 2 ? 'cat' : 'dog'}`).join('\n')}\n`);
  assert.equal(scanCsv(words, 'y', undefined, 100).task, 'classification', 'text labels: classes whatever follows');
  assert.throws(() => scanCsv(file, 'y', undefined, 1 << 20), /"abc" at line 202, column 1/);
  assert.throws(() => loadCsv(file, 'y'), /"abc" at line 202, column 1/, 'the loader checks every row the same way');
});
