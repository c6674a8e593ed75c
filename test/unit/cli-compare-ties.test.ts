// `hone compare` stars by value: runs that tie for best are starred alike, and a row where every run ties
// (the same architecture's tfjs_bytes) stars none. Real runs: a digits MLP, a rerun of it (seeded, so every
// metric ties), and one with a learning rate too small to catch up in two epochs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { digitsSpec, hone, writeSpec } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { completedRun } from '../helpers/store-fixtures';

test('hone compare stars every run that ties for best, and none in a row where all tie', () => {
  const dir = makeTmpDir();
  try {
    const store = join(dir, 'store');
    const spec = writeSpec(dir, 'ties', digitsSpec('ties', { epochs: 2 }));
    const ids = [[], [], ['--set', 'train.lr=0.001']].map((set) => {
      const r = hone(['run', spec, ...set, '--store', store, '--json']);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout)[0].id as string;
    });
    const out = hone(['compare', ...ids, '--store', store]);
    assert.equal(out.code, 0, out.stderr);
    const table = out.stdout.slice(out.stdout.indexOf('\nmetric '));
    const rows = table.split('\n').filter((l) => /^\S+ \((max|min)\)/.test(l));
    const cells = (row: string) => row.trim().split(/\s{2,}/).slice(1);
    assert.match(rows.find((r) => r.startsWith('tfjs_bytes '))!, /^tfjs_bytes \(min\) +\d+ +\d+ +\d+$/, 'one architecture, one size: no star');
    for (const row of rows) {
      const [a, rerun] = cells(row);
      assert.equal(a, rerun, `the rerun ties the run, star included: ${row}`);
    }
    assert.ok(rows.some((r) => cells(r)[0].endsWith(' *') && cells(r)[1].endsWith(' *')), `some row has the tied runs both starred:\n${table}`);
  } finally {
    removeTmpDir(dir);
  }
});

test('hone compare prints a row whose best value reads like another\'s at 4 digits with the digits that tell them apart', () => {
  const dir = makeTmpDir();
  try {
    const store = join(dir, 'store');
    const ids = [0.938712, 0.938741].map((acc, i) => completedRun(store, { final: { val_accuracy: acc, val_loss: [0.31, 0.29][i] } }).record.id);
    const out = hone(['compare', ...ids, '--store', store]);
    assert.equal(out.code, 0, out.stderr);
    const row = (m: string) => out.stdout.split('\n').find((l) => l.startsWith(`${m} (`))!.trim().split(/\s{2,}/).slice(1);
    assert.deepEqual(row('val_accuracy'), ['0.93871', '0.93874 *'], '0.9387 and 0.9387 * at 4 digits');
    assert.deepEqual(row('val_loss'), ['0.3100', '0.2900 *']);
  } finally {
    removeTmpDir(dir);
  }
});
