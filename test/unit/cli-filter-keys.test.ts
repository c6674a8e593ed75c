// Filter and sort keys that name nothing in the store: a typo is refused (exit 2, nothing done), never read
// as "no value" (which made `stauts!=completed` hold for every run, and `hone rm --filter` delete them all).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone } from '../helpers/cli';
import { fakeRun } from '../helpers/store-fixtures';
import { createRun, writeRunRecord, type RunRecord } from '../../src/core/store';
import { unknownKey } from '../../src/core/filter';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const spec = (lr: number) => ({ train: { lr } }) as unknown as RunRecord['spec'];

/** Three finished runs; only the first has a robust_accuracy. */
function store(name: string): { store: string; ids: string[] } {
  const s = join(dir, name);
  const finals: Record<string, number>[] = [{ val_accuracy: 0.9, robust_accuracy: 0.4 }, { val_accuracy: 0.6 }, { val_accuracy: 0.8 }];
  const ids = finals.map((final, i) => {
    const { record, dir: runDir } = createRun(s, fakeRun({ name: `r${i}` }));
    writeRunRecord(runDir, { ...record, status: i === 1 ? 'failed' : 'completed', final, spec: spec(0.1 * (i + 1)) });
    return record.id;
  });
  return { store: s, ids };
}

const ls = (s: string, ...args: string[]) => hone(['ls', '--json', '--store', s, ...args]);

test('unknownKey: run fields, and metrics or spec paths of any run, are known; a typo gets a suggestion', () => {
  const runs = [{ final: { val_accuracy: 1 }, spec: spec(0.1) }, { final: { robust_accuracy: 1 }, spec: {} }] as unknown as RunRecord[];
  for (const key of ['status', 'tag', 'val_accuracy', 'robust_accuracy', 'train.lr']) assert.equal(unknownKey(key, runs), undefined, key);
  assert.equal(unknownKey('stauts', runs), "no run has 'stauts' (did you mean 'status'?)");
  assert.equal(unknownKey('val_acuracy', runs), "no run has 'val_acuracy' (did you mean 'val_accuracy'?)");
  assert.equal(unknownKey('constructor', runs), "no run has 'constructor'", 'inherited names are no keys');
  assert.equal(unknownKey('anything', []), undefined, 'an empty store has nothing to select');
});

test('a filter key no run has is refused with a suggestion; rm --filter then removes nothing', () => {
  const { store: s, ids } = store('typo');
  for (const [filter, message] of [
    ['stauts!=completed', /^hone: --filter: no run has 'stauts' \(did you mean 'status'\?\)$/m],
    ['val_acuracy>0.5', /^hone: --filter: no run has 'val_acuracy' \(did you mean 'val_accuracy'\?\)$/m],
  ]) {
    const r = ls(s, '--filter', filter as string);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, message as RegExp);
  }
  const rm = hone(['rm', '--store', s, '--filter', 'stauts!=completed', '--yes', '--with-children']);
  assert.equal(rm.code, 2, rm.stdout);
  assert.match(rm.stderr, /no run has 'stauts'/);
  assert.equal(JSON.parse(ls(s).stdout).length, 3, 'nothing removed');
  const sort = ls(s, '--sort', 'val_acc:desc');
  assert.equal(sort.code, 2);
  assert.match(sort.stderr, /--sort: no run has 'val_acc'/);
  // A metric only some runs have is a real key: it selects those runs, and sorts the others last.
  assert.deepEqual(JSON.parse(ls(s, '--filter', 'robust_accuracy>0.1').stdout).map((v: { id: string }) => v.id), [ids[0]]);
  assert.deepEqual(JSON.parse(ls(s, '--filter', 'status!=failed', '--sort', 'train.lr:desc').stdout).map((v: { id: string }) => v.id), [ids[2], ids[0]]);
  assert.equal(ls(s, '--sort', 'robust_accuracy').code, 0);
});
