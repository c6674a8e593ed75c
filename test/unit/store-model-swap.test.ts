// The run's model folder is replaced whole or not at all, and what a killed save leaves behind is put
// right by the next process that owns the run folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelTmpOf, recoverModel, swapInModel } from '../../src/core/store';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const folder = (dir: string, text: string, mtime?: number) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), text);
  if (mtime) utimesSync(dir, mtime, mtime);
};
const modelText = (runDir: string) => readFileSync(join(runDir, 'model', 'model.json'), 'utf8');

test('swapInModel: the new model replaces the old one, and nothing is left beside it', () => {
  const run = makeTmpDir();
  try {
    folder(join(run, 'model'), 'old');
    folder(modelTmpOf(run), 'new');
    swapInModel(run);
    assert.equal(modelText(run), 'new');
    assert.deepEqual(readdirSync(run), ['model']);
    rmSync(join(run, 'model'), { recursive: true });
    folder(modelTmpOf(run), 'first');
    swapInModel(run);
    assert.equal(modelText(run), 'first', 'a run without a model gets one');
  } finally {
    removeTmpDir(run);
  }
});

test('recoverModel: a model set aside by a killed save goes back (the newest), leftovers go, this process\'s own are kept', () => {
  const run = makeTmpDir();
  try {
    folder(join(run, '.model.99991.before'), 'older', 1_000_000);
    folder(join(run, '.model.99992.before'), 'newer', 2_000_000);
    folder(join(run, '.model-99993.tmp'), 'half');
    folder(modelTmpOf(run), 'mine');
    const done = recoverModel(run);
    assert.equal(modelText(run), 'newer');
    assert.deepEqual(readdirSync(run).sort(), [`.model-${process.pid}.tmp`, 'model'].sort());
    assert.equal(done.length, 3, done.join('; '));
    // With model/ in place, a set-aside copy is stale: deleted, model/ untouched.
    folder(join(run, '.model.99994.before'), 'stale');
    recoverModel(run);
    assert.equal(modelText(run), 'newer');
    assert.ok(!existsSync(join(run, '.model.99994.before')));
    assert.deepEqual(recoverModel(join(run, 'no-such-folder')), []);
  } finally {
    removeTmpDir(run);
  }
});
