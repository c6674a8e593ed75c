// hone show's log tail shows a tqdm-style progress bar (redrawn with \r) as its last state, not as every
// redraw run together with \u000d between them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone } from '../helpers/cli';
import { fakeRun } from '../helpers/store-fixtures';
import { createRun, writeRunRecord } from '../../src/core/store';
import { lastDrawn, logTail } from '../../src/cli/show-more';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

test('lastDrawn keeps the text after the last \\r of each line; \\r\\n is a line ending', () => {
  assert.equal(lastDrawn('start\n 10%|#\r 50%|###\r100%|#####\ndone\r\nnext'), 'start\n100%|#####\ndone\nnext');
  assert.equal(lastDrawn('plain\nlines\n'), 'plain\nlines\n');
});

test('hone show: a log full of progress-bar redraws ends with readable lines', () => {
  const store = join(dir, 'store');
  const { record, dir: runDir } = createRun(store, fakeRun());
  writeRunRecord(runDir, { ...record, status: 'completed' });
  const bar = Array.from({ length: 400 }, (_, i) => `epoch 1: ${String(i / 4).padStart(5)}%|${'#'.repeat(i / 20)}`).join('\r');
  writeFileSync(join(runDir, 'log.txt'), `loading data\n${bar}\repoch 1: 100%|done\nsaved model\n`);
  const r = hone(['show', record.id, '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.endsWith('log (tail):\nloading data\nepoch 1: 100%|done\nsaved model\n'), r.stdout.slice(-300));
});

test('logTail: about 1200 characters of whole lines from the end', () => {
  const { dir: runDir } = createRun(join(dir, 'store'), fakeRun());
  writeFileSync(join(runDir, 'log.txt'), Array.from({ length: 300 }, (_, i) => `line ${i}\n`).join(''));
  const tail = logTail(runDir);
  assert.ok(tail.length <= 1200 && tail.length > 1100, String(tail.length));
  assert.match(tail, /^line \d+\n/);
  assert.ok(tail.endsWith('\nline 299'));
});
