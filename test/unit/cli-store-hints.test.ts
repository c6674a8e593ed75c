// Commands that Hone prints for users to run next name the store they act on: after `hone sweep ...
// --store S` was stopped, `resume with: hone sweep resume <id>` looked in the default store and found no
// such sweep. The default store needs no --store; any other gets one, quoted for the shell when needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, honeAsync, readJson, waitFor, writeSpec } from '../helpers/cli';
import { storeOption } from '../../src/core/store/store-option';
import { sweepResumeCommand } from '../../src/core/sweep';
import { removeSweep } from '../../src/core/remove';
import { newSweepDir, writeSweepRecord, COORDINATOR_LOCK, type SweepRecord } from '../../src/core/sweep/record';
import { hostname } from 'node:os';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

test('storeOption: nothing for the default store, else --store as one shell word', () => {
  assert.equal(storeOption('.hone'), '');
  assert.equal(storeOption(resolve('.hone')), '', 'the default store, absolute');
  assert.equal(storeOption('/tmp/other'), ' --store /tmp/other');
  assert.equal(storeOption("my store's"), ` --store 'my store'\\''s'`);
  assert.equal(sweepResumeCommand('/tmp/s', { id: 'abc', queue: 'redis://localhost:6379' }), 'hone sweep resume abc --store /tmp/s --queue URL');
});

test('removing a running sweep names the store in its hint to stop it', async () => {
  const store = join(dir, 'running');
  const { id, dir: sweepDir } = newSweepDir(store);
  writeSweepRecord(sweepDir, { id, name: 's', created: new Date().toISOString(), status: 'running', trials: [] } as unknown as SweepRecord);
  writeFileSync(join(sweepDir, COORDINATOR_LOCK), JSON.stringify({ pid: process.pid, host: hostname() }));
  await assert.rejects(removeSweep(store, id), { message: `sweep ${id} is running: stop it first (hone sweep stop ${id} --store ${store})` });
});

test('a sweep stopped from another process prints how to resume it in its store, and that command resumes it', async () => {
  const store = join(dir, 'stopped');
  const spec = writeSpec(dir, 'stopped', {
    ...digitsSpec('stopped', { epochs: 20 }),
    sweep: { objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], parameters: { 'train.lr': { type: 'float', min: 1e-3, max: 0.05, log: true } }, sampler: { type: 'random' }, trials: 3, parallel: 1 },
  });
  const p = honeAsync(['sweep', spec, '--store', store]);
  const file = await waitFor(() => {
    const root = join(store, 'sweeps');
    const ids = existsSync(root) ? readdirSync(root) : [];
    return ids.length === 1 && existsSync(join(root, ids[0], 'sweep.json')) ? join(root, ids[0], 'sweep.json') : undefined;
  }, 30_000, 'sweep.json');
  const id = readJson(file).id;
  assert.equal(hone(['sweep', 'stop', id, '--store', store]).code, 0);
  const r = await p.result;
  assert.equal(r.code, 1, r.stderr);
  const hint = /^resume with: (.*)$/m.exec(r.stdout)?.[1];
  assert.equal(hint, `hone sweep resume ${id} --store ${store}`);
  const resumed = hone(hint!.split(' ').slice(1));
  assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
  assert.equal(readJson(file).status, 'completed');
});
