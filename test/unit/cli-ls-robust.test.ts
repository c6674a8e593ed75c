// hone ls on attacked runs: the robust_accuracy header names the headline eps the runs share; runs measured
// under different evaluations get the eps in each cell and a † note that the column does not rank.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone } from '../helpers/cli';
import { completedRun } from '../helpers/store-fixtures';
import type { Spec } from '../../src/core/spec/types';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const attacked = (store: string, name: string, eps: number[], robust: number) =>
  completedRun(store, {
    name, kind: 'evaluate', final: { robust_accuracy: robust, clean_accuracy: 0.95 },
    spec: { robustness: { evaluate: { eps, norm: 'linf', attacks: [{ attack: 'apgd-ce', steps: 10, restarts: 1 }], points: 100, batch: 100, checks: true } } } as unknown as Spec,
  });

/** The header and the cells of the robust_accuracy column in `hone ls`'s table (split on two spaces). */
function lsColumn(store: string): { header: string; cells: string[]; out: string } {
  const r = hone(['ls', '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const head = lines.findIndex((l) => l.startsWith('id '));
  const at = lines[head].indexOf('robust_accuracy');
  assert.ok(at >= 0, r.stdout);
  const rows = lines.slice(head + 2).filter((l) => /^\S{6,}\s/.test(l) && !l.startsWith('store:'));
  const cell = (l: string) => l.slice(at).split(/ {2,}/)[0].trim();
  return { header: cell(lines[head]), cells: rows.map(cell), out: r.stdout };
}

test('hone ls: runs evaluated alike share the headline eps in the header; different evaluations are marked and do not rank', () => {
  const alike = join(dir, 'alike');
  attacked(alike, 'a', [0.05, 0.1], 0.6);
  attacked(alike, 'b', [0.05], 0.55);
  const one = lsColumn(alike);
  assert.equal(one.header, 'robust_accuracy (eps 0.05)');
  assert.doesNotMatch(one.out, /\u2020/);

  const mixed = join(dir, 'mixed');
  attacked(mixed, 'at 0.05', [0.05], 0.6);
  attacked(mixed, 'at 0.1', [0.1], 0.4);
  const two = lsColumn(mixed);
  assert.equal(two.header, 'robust_accuracy \u2020');
  assert.deepEqual(two.cells.sort(), ['0.4000 (eps 0.1)', '0.6000 (eps 0.05)']);
  assert.match(two.out, /\u2020 robust_accuracy: measured under different robustness evaluations \(`hone compare` shows which\), so the values do not rank against each other/);
});
