// What views read from a store: in an untrusted workspace (read-only) a run whose worker died is shown
// crashed, as the index would mark it, and nothing is written.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, it } from 'node:test';
import { createRun, processInfo, writeRunRecord } from '../../src/core/store';
import { readRuns } from '../../src/core/dashboard/source';
import { deadPid, fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

let store: string;
beforeEach(() => (store = makeTmpDir()));
afterEach(() => removeTmpDir(store));

it('read-only, a running run whose process is gone reads crashed, its run.json untouched and no index made', async () => {
  const dead = createRun(store, fakeRun({ name: 'dead' }));
  writeRunRecord(dead.dir, { ...dead.record, status: 'running', pid: deadPid(), host: hostname(), heartbeat: new Date().toISOString() });
  const live = createRun(store, fakeRun({ name: 'live' }));
  writeRunRecord(live.dir, { ...live.record, status: 'running', pid: process.pid, pidStart: processInfo(process.pid)?.start, host: hostname(), heartbeat: new Date().toISOString() });
  const before = readFileSync(join(dead.dir, 'run.json'), 'utf8');
  const runs = await readRuns(store, true);
  const byName = Object.fromEntries(runs.map((r) => [r.name, r]));
  assert.equal(byName.dead.status, 'crashed');
  assert.match(byName.dead.message ?? '', /process \d+ on .* is gone/);
  assert.equal(byName.live.status, 'running', 'a run whose worker lives (this process) stays running');
  assert.equal(readFileSync(join(dead.dir, 'run.json'), 'utf8'), before, 'nothing written');
  assert.equal(existsSync(join(store, 'index.json')), false);
});
