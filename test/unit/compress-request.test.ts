// What `hone compress` checks before it writes anything (prepareCompress, in process), against a real
// parent trained by the built CLI: the child's train section after merging, the parent's data and model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, writeSpec } from '../helpers/cli';
import { prepareCompress } from '../../src/core/compress/start';

let dir: string;
let store: string;
let parent: string;

before(() => {
  dir = makeTmpDir();
  store = join(dir, 'store');
  const spec = { ...digitsSpec('mom', { epochs: 1, optimizer: 'momentum', momentum: 0.8 }), backend: 'cpu', model: { type: 'mlp', layers: [32, 16] } };
  const r = hone(['run', writeSpec(dir, 'mom', spec), '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  parent = JSON.parse(r.stdout)[0].id;
});
after(() => removeTmpDir(dir));

const prepare = (sets: string[], ref = parent) => prepareCompress({ storeDir: store, ref, sets: ['compress.quantize.bits=8', ...sets] });

test("a parent trained with momentum compresses with another optimizer: the parent's momentum is dropped, a written one is checked", () => {
  assert.equal(prepare([]).spec.train.momentum, 0.8, "the parent's optimizer keeps its momentum");
  const adam = prepare(['train.optimizer=adam']).spec.train;
  assert.equal(adam.optimizer, 'adam');
  assert.equal(prepare(['train.optimizer=adamw', 'train.weightDecay=0.05']).spec.train.weightDecay, 0.05);
  assert.throws(() => prepare(['train.optimizer=adam', 'train.momentum=0.5']), /train\.momentum: expected no momentum with optimizer adam/);
});
